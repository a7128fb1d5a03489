"""Checks the dashboards and alert rules against a live Prometheus scraping a live agent.

    python3 check_live.py --prometheus http://127.0.0.1:9090 --agent http://127.0.0.1:9404

1. waits (bounded) until Prometheus reports the prunewire-agent target up and every alert rule
   loaded and healthy;
2. every metric named by a dashboard query or an alert rule is either in the agent's /metrics
   scrape, in what Prometheus holds from a --job (e.g. prunewire-trainer, the JVM trainers), or
   listed in dashboards/metrics-pending.txt -- and no pending metric is in those scrapes;
3. the run and layer variables' label queries return values;
4. every panel query (Grafana variables replaced: $run and $layer by .*, $__rate_interval by the
   window given) returns at least one series with a value other than NaN, unless it uses a pending
   metric; every annotation query returned a sample within the last --annotation-window seconds;
   with --again-after SECONDS the panel queries are checked once more that much later (gauges that
   hold, not summaries that expire);
5. each --expect-alert is active (pending or firing) on the live data, and no --forbid-alert is
   (alerts that depend on the machine's speed, such as slow decisions, are neither); with
   --no-alerts none is active at all.
Exit status 0 when all hold; otherwise every failure is printed.
"""
import argparse
import json
import math
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from promql_names import DASHBOARDS, dashboard_exprs, metric_names

BUILTIN = {'up'}   # series Prometheus itself writes for every target


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    if body.get('status') != 'success':
        raise RuntimeError('%s: %s' % (url, body))
    return body['data']


def query(prom, expr):
    return get_json(prom + '/api/v1/query?' + urllib.parse.urlencode({'query': expr}))['result']


def has_number(prom, expr):
    """Whether expr returns at least one series whose value is not NaN."""
    return any(not math.isnan(float(r['value'][1])) for r in query(prom, expr))


def has_sample_within(prom, expr, seconds):
    """Whether expr, evaluated every 2 s over the last `seconds`, returned any sample."""
    now = time.time()
    data = get_json(prom + '/api/v1/query_range?' + urllib.parse.urlencode(
        {'query': expr, 'start': now - seconds, 'end': now, 'step': 2}))
    return any(r['values'] for r in data['result'])


def scraped_names(agent):
    with urllib.request.urlopen(agent + '/metrics', timeout=10) as r:
        text = r.read().decode('utf-8')
    return {m.group(1) for m in re.finditer(r'^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]', text, re.M)}


def job_names(prom, job):
    """Metric names Prometheus holds from a scrape job (a trainer that has finished can no longer be scraped)."""
    return set(get_json(prom + '/api/v1/label/__name__/values?'
                        + urllib.parse.urlencode({'match[]': '{job="%s"}' % job})))


def pending_names():
    names = set()
    with open(os.path.join(DASHBOARDS, 'metrics-pending.txt')) as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                names.add(line.split()[0])
    return names


def rule_exprs(prom):
    """The alert expressions as the live Prometheus loaded them."""
    return [r['query'] for g in get_json(prom + '/api/v1/rules')['groups'] for r in g['rules']]


def substitute(expr, window):
    return expr.replace('$__rate_interval', window).replace('$run', '.*').replace('$layer', '.*')


def wait_until_ready(prom, deadline):
    while True:
        problems = []
        try:
            targets = get_json(prom + '/api/v1/targets')['activeTargets']
            agents = [t for t in targets if t['labels'].get('job') == 'prunewire-agent']
            if not agents or any(t['health'] != 'up' for t in agents):
                problems.append('agent target not up: %s' % [(t['scrapeUrl'], t['health'], t.get('lastError')) for t in agents])
            rules = [r for g in get_json(prom + '/api/v1/rules')['groups'] for r in g['rules']]
            bad = [(r['name'], r.get('lastError')) for r in rules if r['health'] != 'ok']
            if len(rules) == 0 or bad:
                problems.append('rules not loaded and healthy: %d rules, unhealthy %s' % (len(rules), bad))
        except OSError as e:
            problems.append('Prometheus not answering: %s' % e)
        if not problems:
            return []
        if time.time() > deadline:
            return problems
        time.sleep(1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--prometheus', required=True)
    p.add_argument('--agent', required=True)
    p.add_argument('--job', action='append', default=[],
                   help='a further scrape job whose metrics count as exported, e.g. prunewire-trainer (repeatable)')
    p.add_argument('--window', default='1m', help='what $__rate_interval becomes (default %(default)s)')
    p.add_argument('--timeout', type=float, default=60, help='seconds to wait for target and data')
    p.add_argument('--expect-alert', action='append', default=[],
                   help='an alert the traffic must make pending or firing (repeatable)')
    p.add_argument('--forbid-alert', action='append', default=[],
                   help='an alert that must be inactive (repeatable)')
    p.add_argument('--no-alerts', action='store_true', help='no alert may be active (a clean run)')
    p.add_argument('--again-after', type=float, default=0,
                   help='check the panel queries again this many seconds later (default: once)')
    p.add_argument('--annotation-window', type=float, default=600,
                   help='seconds back in which every annotation query must have had a sample')
    args = p.parse_args()
    deadline = time.time() + args.timeout
    failures = wait_until_ready(args.prometheus, deadline)
    if failures:
        print('\n'.join('FAIL ' + f for f in failures))
        return 1

    scraped, pending = scraped_names(args.agent), pending_names()
    for job in args.job:
        scraped |= job_names(args.prometheus, job)
    exprs = dashboard_exprs()
    queries = [(b, t, e) for b, t, e in exprs if not t.startswith('annotation ')]
    annotations = [(b, t, e) for b, t, e in exprs if t.startswith('annotation ')]
    referenced = {}
    for board, title, expr in exprs:
        for name in metric_names(expr):
            referenced.setdefault(name, []).append('%s / %s' % (board, title))
    for expr in rule_exprs(args.prometheus):
        for name in metric_names(expr):
            referenced.setdefault(name, []).append('alert rule: ' + expr[:60])
    # Kafka's client metrics reach the agent's scrape when Micrometer next looks for new ones (about
    # once a minute): scrape again until every referenced name is there or the deadline passes
    def missing():
        return [n for n in referenced if n not in scraped and n not in pending and n not in BUILTIN]
    while missing() and time.time() < deadline:
        time.sleep(2)
        scraped |= scraped_names(args.agent)
        for job in args.job:
            scraped |= job_names(args.prometheus, job)
    for name, where in sorted(referenced.items()):
        if name not in scraped and name not in pending and name not in BUILTIN:
            failures.append('metric %s is neither in the agent scrape, the --job scrapes nor pending (used by %s)' % (name, where[0]))
    for name in sorted(pending & scraped):
        failures.append('metric %s is exported now: remove it from metrics-pending.txt' % name)
    for name in sorted(pending - set(referenced)):
        failures.append('pending metric %s is used by no dashboard or rule' % name)

    for label in ('run', 'layer'):
        values = get_json(args.prometheus + '/api/v1/label/%s/values?' % label
                          + urllib.parse.urlencode({'match[]': 'prunewire_neurons_kept'}))
        if not values:
            failures.append('variable %s: label_values(prunewire_neurons_kept, %s) is empty' % (label, label))

    checked = [(b, t, e) for b, t, e in queries if not metric_names(e) & pending]
    empty = checked
    # the last events of the trainers may need one more scrape: retry until the deadline
    while empty:
        empty = [(b, t, e) for b, t, e in empty if not has_number(args.prometheus, substitute(e, args.window))]
        if not empty or time.time() > deadline:
            break
        time.sleep(1)
    for board, title, expr in empty:
        failures.append('%s / %s: no data (or only NaN) for %s' % (board, title, substitute(expr, args.window)))
    for board, title, expr in annotations:
        if not has_sample_within(args.prometheus, substitute(expr, args.window), args.annotation_window):
            failures.append('%s / %s: no sample in the last %.0f s for %s'
                            % (board, title, args.annotation_window, substitute(expr, args.window)))
    if args.again_after > 0:
        print('panel queries checked; again in %.0f s' % args.again_after)
        sys.stdout.flush()
        time.sleep(args.again_after)
        for board, title, expr in checked:
            if not has_number(args.prometheus, substitute(expr, args.window)):
                failures.append('%s / %s: no data (or only NaN) %.0f s later for %s'
                                % (board, title, args.again_after, substitute(expr, args.window)))

    while True:
        active = {a['labels']['alertname']: a['state'] for a in get_json(args.prometheus + '/api/v1/alerts')['alerts']}
        if set(args.expect_alert) <= set(active) or time.time() > deadline:
            break
        time.sleep(1)
    for name in args.expect_alert:
        if name not in active:
            failures.append('alert %s is not pending or firing (active: %s)' % (name, active))
    for name in sorted(set(active) & set(args.forbid_alert)):
        failures.append('alert %s is %s' % (name, active[name]))
    if args.no_alerts:
        for name in sorted(active):
            failures.append('alert %s is %s in a clean run' % (name, active[name]))

    print('alerts active: %s' % active)
    print('%d panel queries returned data, %d wait for pending metrics (%s); %d metrics referenced'
          % (len(checked) - len(empty), len(queries) - len(checked), ', '.join(sorted(pending)), len(referenced)))
    for f in failures:
        print('FAIL ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
