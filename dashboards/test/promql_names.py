"""Metric names referenced by a PromQL expression (stdlib only; enough for the dashboards' and
rules' queries: selectors, functions, aggregations with by/without, on/ignoring, range vectors,
comparison and set operators, string and number literals)."""
import re

KEYWORDS = {'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or',
            'unless', 'bool', 'offset', 'inf', 'nan'}


def metric_names(expr):
    """The set of metric names in expr; raises ValueError on unbalanced braces or quotes."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)            # string literals
    if '"' in s.replace('""', ''):
        raise ValueError('unbalanced quotes in %r' % expr)
    s = re.sub(r'\{[^{}]*\}', ' ', s)                          # label matchers
    s = re.sub(r'\[[^\[\]]*\]', ' ', s)                        # range / subquery windows
    if re.search(r'[{}\[\]]', s):
        raise ValueError('unbalanced braces in %r' % expr)
    s = re.sub(r'\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)', ' ', s)
    names = set()
    for m in re.finditer(r'[A-Za-z_:][A-Za-z0-9_:]*', s):
        word = m.group(0)
        rest = s[m.end():].lstrip()
        if word.lower() in KEYWORDS or rest.startswith('('):
            continue                                           # keyword, function or aggregation
        if re.match(r'^\d', word):
            continue
        names.add(word)
    return names
