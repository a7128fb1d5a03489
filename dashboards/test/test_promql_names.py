"""Unit tests of promql_names (run: python3 -m unittest discover dashboards/test)."""
import unittest

from promql_names import metric_names, referenced, rule_exprs


class MetricNamesTest(unittest.TestCase):

    def test_selector_with_matchers_and_range(self):
        self.assertEqual(metric_names('rate(a_total{x="1", y=~"b|c"}[5m])'), {'a_total'})

    def test_aggregations_and_grouping_labels_are_not_metrics(self):
        self.assertEqual(metric_names('sum by (run, layer) (m_sum{run=~"$run"}) / sum by (run, layer) (m_count)'),
                         {'m_sum', 'm_count'})

    def test_set_operators_keywords_and_numbers(self):
        self.assertEqual(metric_names('up{job="j"} == 0 or absent(up{job="j"}) and on (i) b > 0.25'), {'up', 'b'})

    def test_exponent_literals_are_numbers(self):
        self.assertEqual(metric_names('a / clamp_min(b + c, 1e-9) > 2.5E+3'), {'a', 'b', 'c'})

    def test_offset_durations_are_not_metrics(self):
        self.assertEqual(metric_names('rate(a[5m] offset 10m) > rate(b[1h] offset 1h30m)'), {'a', 'b'})

    def test_every_rule_expression_is_read_whole(self):
        self.assertTrue(all(e and 'expr' not in e for e in rule_exprs()))
        self.assertIn('kafka_consumer_fetch_manager_records_lag', referenced())

    def test_string_with_braces_does_not_confuse(self):
        self.assertEqual(metric_names('label_replace(m, "dst", "{x}", "src", "(.*)")'), {'m'})

    def test_unbalanced_braces_fail(self):
        with self.assertRaises(ValueError):
            metric_names('rate(m{x="1"[5m])')


if __name__ == '__main__':
    unittest.main()
