#!/usr/bin/env python3
"""Independent reference for the report's findings (docs/methods.md,
Summary): every comparison of the report month that stays significant
after the Benjamini-Hochberg correction for their number, largest effect
first, the first five on the page, each with its adjusted p-value.

Written from the methods text with the Python standard library.  It
recomputes from the store's export (and the customers file) each segment
against the rest of the month, each segment's change from last month
(the test of its rate effect, whose size it takes from drivers.csv) and
each moment-of-truth type against routine contacts; it takes the
high-impact customers' counts from hic.csv and the agents' intervals from
agents.csv (each checked against its own reference by drivers_reference,
cx_reference and agents_reference).  Two groups are compared on adjusted
counts (P + .75, A + 1.5, D + .75 on each side; difference and variance
both from the adjusted shares) and only when each side has at least
MIN_RESPONSES (default 10) responses.  The adjusted
p-values are computed here by hand from Benjamini and Hochberg (1995):
sort ascending, m*p_(j)/j, running minimum from the largest down (what R's
p.adjust(p, "BH") gives; scipy 1.10 has no such function).  Usage:

    summary_reference.py EXPORT.csv CUSTOMERS.csv MOT_TYPES BY OUTDIR [MIN_RESPONSES]
"""
import csv, html, math, re, sys
from statistics import NormalDist

exp_path, cust_path, mot_types, by, out = sys.argv[1:6]
mot = set(mot_types.split(','))
dims = by.split(',')
MIN = int(sys.argv[6]) if len(sys.argv) > 6 else 10
ALPHA = 0.05
Q = lambda z: 1 - NormalDist().cdf(z)

def cls(s):
    return 0 if s >= 9 else 1 if s >= 7 else 2

def est(c):
    n = sum(c)
    pp, pd = c[0] / n, c[2] / n
    return 100 * (pp - pd), 100 * math.sqrt(max(pp + pd - (pp - pd) ** 2, 0) / n)

def adj(c):
    """Adjusted NPS (a fraction) and its variance: the adjusted-Wald counts."""
    n2 = sum(c) + 3
    pp, pd = (c[0] + .75) / n2, (c[2] + .75) / n2
    return pp - pd, (pp + pd - (pp - pd) ** 2) / n2

small = 0
def test(a, b):
    """(diff, p) of NPS a − b: raw difference, p of the adjusted test; p
    None when a side has fewer than MIN responses (counted in small)."""
    global small
    if sum(a) < MIN or sum(b) < MIN:
        small += 1
        return None, None
    (va, wa), (vb, wb) = adj(a), adj(b)
    return est(a)[0] - est(b)[0], 2 * Q(abs(va - vb) / math.sqrt(wa + wb))

cust = {r['customer_id']: r for r in csv.DictReader(open(cust_path, newline='', encoding='utf-8'))}
rows = list(csv.DictReader(open(exp_path, newline='', encoding='utf-8')))
key = lambda s: int(s[:4]) * 12 + int(s[5:7]) - 1
M = max(key(r['responded_at']) for r in rows)
month = [r for r in rows if key(r['responded_at']) == M]

found, tests = [], 0
def segcounts(rs, d):
    seg = {}
    for r in rs:
        v = r.get(d)
        if v is None:
            c = cust.get(r['customer_id'])
            v = c.get(d) if c else None
        if v:
            seg.setdefault(v, [0, 0, 0])[cls(int(r['score']))] += 1
    return seg
# segments against the rest of the month
overall = [0, 0, 0]
for r in month:
    overall[cls(int(r['score']))] += 1
prev = [r for r in rows if key(r['responded_at']) == M - 1]
cur_seg = {d: segcounts(month, d) for d in dims}
prev_seg = {d: segcounts(prev, d) for d in dims}
for d in dims:
    for v, c in cur_seg[d].items():
        rest = [overall[i] - c[i] for i in range(3)]
        if sum(rest) == 0:
            continue
        diff, p = test(c, rest)
        if p is not None:
            found.append(('segment', diff, p))
# drivers: the rate effects of drivers.csv, each tested as its segment's
# change from last month
for r in csv.DictReader(open(out + '/drivers.csv', newline='')):
    a, b = cur_seg[r['dimension']].get(r['segment']), prev_seg[r['dimension']].get(r['segment'])
    if not a or not b:
        continue
    _, p = test(a, b)
    if p is not None:
        found.append(('driver', float(r['rate_effect']), p))
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
    diff, p = test(c, routine)
    if p is not None:
        found.append(('mot', diff, p))
# high-impact customers against the others (hic.csv counts)
hic = {r['segment']: r for r in csv.DictReader(open(out + '/hic.csv', newline=''))}
h = [int(hic['hic'][k]) for k in ('promoters', 'passives', 'detractors')]
o = [int(hic['other'][k]) for k in ('promoters', 'passives', 'detractors')]
if sum(h) and sum(o):
    diff, p = test(h, o)
    if p is not None:
        found.append(('hic', diff, p))
# agents: ranked agents in the outer tiers of agents.csv
ag = list(csv.DictReader(open(out + '/agents.csv', newline='')))
P = sum(int(a['promoters']) for a in ag)
D = sum(int(a['detractors']) for a in ag)
N = sum(int(a['n']) for a in ag)
pop = 100 * (P - D) / N if N else float('nan')
# each ranked agent (a tier) against the population: z = (shrunk NPS -
# population) / posterior SD, the SD read back from the interval
# nps_shrunk +- z.975 * SD (its side that is not clipped at +-100)
Z = NormalDist().inv_cdf(1 - ALPHA / 2)
for a in ag:
    if not a['tier']:
        continue
    m, lo, hi = float(a['nps_shrunk']), float(a['ci_low']), float(a['ci_high'])
    sd = (hi - m) / Z if hi < 100 else (m - lo) / Z
    if sd <= 0:
        continue
    up = m > pop
    found.append(('agents', lo - pop if up else pop - hi, 2 * Q(abs(m - pop) / sd), up))

found_raw = list(found)
# Benjamini-Hochberg over the whole family
tests = len(found)
order = sorted(range(tests), key=lambda i: found[i][2])
qv, run = [0.0] * tests, 1.0
for j in reversed(range(tests)):
    run = min(run, tests * found[order[j]][2] / (j + 1))
    qv[order[j]] = run
sig = [(f, q) for f, q in zip(found, qv) if q < ALPHA]
nsig = len(sig)
kept = [(f[0], f[1], q) for f, q in sig if f[0] != 'agents']
agents = [(f, q) for f, q in sig if f[0] == 'agents']
if agents:
    kept.append(('agents', max(f[1] for f, _ in agents), max(q for _, q in agents)))
    above = sum(1 for f, _ in agents if f[3])
kept.sort(key=lambda f: -abs(f[1]))
want = kept[:5]
found = kept

page = open(out + '/index.html', encoding='utf-8').read()
got = [(k, float(e), float(q)) for k, e, q in
       re.findall(r'<li data-kind="([a-z]+)" data-effect="([-0-9.e+]+)" data-q="([-0-9.e+]+)">', page)]
bad = []
if [g[0] for g in got] != [w[0] for w in want]:
    bad.append('kinds: page %s, reference %s' % ([g[0] for g in got], [w[0] for w in want]))
for (gk, ge, gq), (wk, we, wq) in zip(got, want):
    if abs(ge - we) > 1e-6 * max(1, abs(we)):
        bad.append('%s effect: page %r, reference %r' % (gk, ge, we))
    if abs(gq - wq) > 1e-6 * max(1e-3, wq):
        bad.append('%s adjusted p: page %r, reference %r' % (gk, gq, wq))
text = html.unescape(page)
m = re.search(r'([0-9,]+) comparisons? tested: ([0-9,]+) (?:is|are) significant, the (\d+) largest shown',
              text)
if not found:
    if got:
        bad.append('findings on the page, none significant')
    if '(%d comparison%s tested)' % (tests, '' if tests == 1 else 's') not in text:
        bad.append('the page does not say %d comparisons were tested' % tests)
elif not m or (int(m.group(2).replace(',', '')), int(m.group(1).replace(',', ''))) != (nsig, tests):
    bad.append('counts: page %s, reference %d significant of %d' %
               (m.groups() if m else None, nsig, tests))
if agents:
    a = re.search(r'(\d+) clearly above and (\d+) clearly below', text)
    if not a or (int(a.group(1)), int(a.group(2))) != (above, len(agents) - above):
        bad.append('agents: page %s, reference %d above, %d below' %
                   (a.groups() if a else None, above, len(agents) - above))
if bad:
    print('\n'.join(bad))
    sys.exit(1)
kinds = {}
for f, q in zip(found_raw, qv):
    k = kinds.setdefault(f[0], [0, 0])
    k[0] += 1
    k[1] += q < ALPHA
print('%d findings shown of %d significant (Benjamini-Hochberg, FDR %g) among %d comparisons, '
      'as the reference; %d would pass uncorrected; %d too small to test; significant/tested: %s' %
      (len(got), nsig, ALPHA, tests, sum(1 for f in found_raw if f[2] < ALPHA), small,
       ' '.join('%s %d/%d' % (k, v[1], v[0]) for k, v in sorted(kinds.items()))))
