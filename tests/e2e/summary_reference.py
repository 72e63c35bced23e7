#!/usr/bin/env python3
"""Independent reference for the report's findings (docs/methods.md,
Summary): every significant comparison of the report month, largest effect
first, the first five on the page.

Written from the methods text with the Python standard library.  It
recomputes from the store's export (and the customers file) each segment
against the rest of the month and each moment-of-truth type against
routine contacts; it takes the drivers' score-effect tests from
drivers.csv, the high-impact customers' counts from hic.csv and the
agents' tiers from agents.csv (each checked against its own reference by
drivers_reference, cx_reference and agents_reference).  Usage:

    summary_reference.py EXPORT.csv CUSTOMERS.csv MOT_TYPES BY OUTDIR
"""
import csv, html, math, re, sys
from statistics import NormalDist

exp_path, cust_path, mot_types, by, out = sys.argv[1:6]
mot = set(mot_types.split(','))
dims = by.split(',')
ALPHA = 0.05
Q = lambda z: 1 - NormalDist().cdf(z)

def cls(s):
    return 0 if s >= 9 else 1 if s >= 7 else 2

def est(c):
    n = sum(c)
    pp, pd = c[0] / n, c[2] / n
    return 100 * (pp - pd), 100 * math.sqrt(max(pp + pd - (pp - pd) ** 2, 0) / n)

def test(a, b):
    """(diff, p) of NPS a − b, p None when the SE is 0."""
    (na, sa), (nb, sb) = est(a), est(b)
    se = math.sqrt(sa * sa + sb * sb)
    return na - nb, (2 * Q(abs(na - nb) / se) if se > 0 else None)

cust = {r['customer_id']: r for r in csv.DictReader(open(cust_path, newline='', encoding='utf-8'))}
rows = list(csv.DictReader(open(exp_path, newline='', encoding='utf-8')))
key = lambda s: int(s[:4]) * 12 + int(s[5:7]) - 1
M = max(key(r['responded_at']) for r in rows)
month = [r for r in rows if key(r['responded_at']) == M]

found, tests = [], 0
# segments against the rest of the month
overall = [0, 0, 0]
for r in month:
    overall[cls(int(r['score']))] += 1
for d in dims:
    seg = {}
    for r in month:
        v = r.get(d)
        if v is None:
            c = cust.get(r['customer_id'])
            v = c.get(d) if c else None
        if v:
            seg.setdefault(v, [0, 0, 0])[cls(int(r['score']))] += 1
    for v, c in seg.items():
        rest = [overall[i] - c[i] for i in range(3)]
        if sum(rest) == 0:
            continue
        tests += 1
        diff, p = test(c, rest)
        if p is not None and p < ALPHA:
            found.append(('segment', diff))
# drivers: the score effects of drivers.csv
for r in csv.DictReader(open(out + '/drivers.csv', newline='')):
    if r['p_rate'] == '':
        continue
    tests += 1
    if float(r['p_rate']) < ALPHA:
        found.append(('driver', float(r['rate_effect'])))
# moments of truth against routine contacts
types, routine = {}, [0, 0, 0]
for r in month:
    t = r['interaction_type']
    if t in mot:
        types.setdefault(t, [0, 0, 0])[cls(int(r['score']))] += 1
    else:
        routine[cls(int(r['score']))] += 1
for t, c in types.items():
    if sum(routine) == 0:
        continue
    tests += 1
    diff, p = test(c, routine)
    if p is not None and p < ALPHA:
        found.append(('mot', diff))
# high-impact customers against the others (hic.csv counts)
hic = {r['segment']: r for r in csv.DictReader(open(out + '/hic.csv', newline=''))}
h = [int(hic['hic'][k]) for k in ('promoters', 'passives', 'detractors')]
o = [int(hic['other'][k]) for k in ('promoters', 'passives', 'detractors')]
if sum(h) and sum(o):
    tests += 1
    diff, p = test(h, o)
    if p is not None and p < ALPHA:
        found.append(('hic', diff))
# agents: ranked agents in the outer tiers of agents.csv
ag = list(csv.DictReader(open(out + '/agents.csv', newline='')))
P = sum(int(a['promoters']) for a in ag)
D = sum(int(a['detractors']) for a in ag)
N = sum(int(a['n']) for a in ag)
pop = 100 * (P - D) / N if N else float('nan')
gap, outer = 0.0, 0
for a in ag:
    if a['tier']:
        tests += 1
    if a['tier'] == 'above':
        outer += 1
        gap = max(gap, float(a['ci_low']) - pop)
    elif a['tier'] == 'below':
        outer += 1
        gap = max(gap, pop - float(a['ci_high']))
if outer:
    found.append(('agents', gap))
found.sort(key=lambda f: -abs(f[1]))
want = found[:5]

page = open(out + '/index.html', encoding='utf-8').read()
got = [(k, float(e)) for k, e in re.findall(r'<li data-kind="([a-z]+)" data-effect="([-0-9.e+]+)">', page)]
bad = []
if [k for k, _ in got] != [k for k, _ in want]:
    bad.append('kinds: page %s, reference %s' % ([k for k, _ in got], [k for k, _ in want]))
for (gk, ge), (wk, we) in zip(got, want):
    if abs(ge - we) > 1e-6 * max(1, abs(we)):
        bad.append('%s effect: page %r, reference %r' % (gk, ge, we))
m = re.search(r'The (\d+) largest of (\d+) statistically significant differences among (\d+) comparisons',
              html.unescape(page))
if len(found) == 0:
    if got:
        bad.append('findings on the page, none significant')
elif not m or (int(m.group(2)), int(m.group(3))) != (len(found), tests):
    bad.append('counts: page %s, reference %d significant of %d' %
               (m.groups() if m else None, len(found), tests))
if bad:
    print('\n'.join(bad))
    sys.exit(1)
print('%d findings shown of %d significant among %d comparisons, as the reference' %
      (len(got), len(found), tests))
