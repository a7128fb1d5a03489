"""Metric names referenced by a PromQL expression (stdlib only; enough for the dashboards' and
rules' queries: selectors, functions, aggregations with by/without, on/ignoring, range vectors,
comparison and set operators, string and number literals).

    python3 promql_names.py    # every metric name the dashboards and alert rules use, one a line
"""
import glob
import json
import os
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
    # numbers (1e-9 too) and durations (offset 10m, 1h30m)
    s = re.sub(r'(?<![A-Za-z0-9_:])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?(?:(?:ms|[smhdwy])\d*)*(?![A-Za-z0-9_:])', ' ', s)
    names = set()
    for m in re.finditer(r'[A-Za-z_:][A-Za-z0-9_:]*', s):
        word = m.group(0)
        rest = s[m.end():].lstrip()
        if word.lower() in KEYWORDS or rest.startswith('('):
            continue                                           # keyword, function or aggregation
        names.add(word)
    return names


DASHBOARDS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))


def dashboard_exprs():
    """(dashboard file, panel title or annotation name, expr) for every query of every dashboard."""
    out = []
    for path in sorted(glob.glob(os.path.join(DASHBOARDS, 'grafana', 'dashboards', '*.json'))):
        with open(path) as f:
            board = json.load(f)
        for panel in board['panels']:
            for target in panel.get('targets', []):
                out.append((os.path.basename(path), panel['title'], target['expr']))
        for annotation in board.get('annotations', {}).get('list', []):
            if 'expr' in annotation:
                out.append((os.path.basename(path), 'annotation ' + annotation['name'], annotation['expr']))
    return out


def rule_exprs():
    """The expr of every alert rule, read without a YAML library: each is a plain or folded scalar."""
    exprs = []
    with open(os.path.join(DASHBOARDS, 'prometheus', 'prunewire-alerts.yml')) as f:
        lines = f.read().split('\n')
    for i, line in enumerate(lines):
        m = re.match(r'^(\s*)expr:\s*(.*)$', line)
        if not m:
            continue
        if m.group(2) not in ('>-', '>', '|', '|-'):
            exprs.append(m.group(2))
            continue
        body = []
        for nxt in lines[i + 1:]:
            if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= len(m.group(1)):
                break
            body.append(nxt.strip())
        exprs.append(' '.join(b for b in body if b))
    return exprs


def referenced():
    """Every metric name a dashboard query, annotation or alert rule uses."""
    names = set()
    for _, _, expr in dashboard_exprs():
        names |= metric_names(expr)
    for expr in rule_exprs():
        names |= metric_names(expr)
    return names


if __name__ == '__main__':
    print('\n'.join(sorted(referenced())))
