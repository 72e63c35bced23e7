#!/usr/bin/env python3
"""Independent reference for nps.csv and nps_change.csv (docs/methods.md, docs/formats.md).

Written from the spec alone with the Python standard library (csv,
datetime, statistics.NormalDist), sharing no code with cxpulse.  Usage:

    nps_reference.py RESPONSES.csv [--customers CUSTOMERS.csv] [--by a,b]
                     [--confidence 0.95] --check OUTDIR

Reads the responses, drops the rows cxpulse must reject (bad score, bad
date, missing id), keeps the last row of a duplicated (source, response_id)
unless an earlier one has a newer updated_at, computes every row and
compares it with OUTDIR/nps.csv and OUTDIR/nps_change.csv to 1e-6.
Exits 0 when they agree, 1 with the differences otherwise.
"""
import argparse, csv, math, re, sys
from datetime import datetime, timezone
from statistics import NormalDist

def parse_time(s):
    s = s.strip()
    if s.lstrip('-').replace('.', '', 1).isdigit():
        return math.floor(float(s))
    if len(s) == 10:
        s += 'T00:00:00'
    d = datetime.fromisoformat(s.replace(' ', 'T'))
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return math.floor(d.timestamp())

def month_of(t):
    d = datetime.fromtimestamp(t, tz=timezone.utc)
    return '%04d-%02d' % (d.year, d.month)

def prev_month(m):
    y, mo = int(m[:4]), int(m[5:])
    return '%04d-%02d' % (y - 1, 12) if mo == 1 else '%04d-%02d' % (y, mo - 1)

def score_of(s):
    # digits, optionally followed by '.' and zeros ("9.0" is 9, "9.5" is not a score)
    if not re.fullmatch(r'[0-9]{1,4}(\.0*)?', s):
        return None
    v = int(s.split('.')[0])
    return v if v <= 10 else None

def estimate(p, a, d, z):
    n = p + a + d
    pp, pd = p / n, d / n
    nps = 100 * (pp - pd)
    se = 100 * math.sqrt(max(pp + pd - (pp - pd) ** 2, 0) / n)
    n2 = n + 3
    p2, d2 = (p + .75) / n2, (d + .75) / n2
    v = p2 - d2
    se2 = math.sqrt(max(p2 + d2 - v * v, 0) / n2)
    return nps, se, max(-100, 100 * (v - z * se2)), min(100, 100 * (v + z * se2))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('responses')
    ap.add_argument('--customers')
    ap.add_argument('--by', default='')
    ap.add_argument('--confidence', type=float, default=0.95)
    ap.add_argument('--source', default='csv')
    ap.add_argument('--check', required=True)
    a = ap.parse_args()
    dims = [d for d in a.by.split(',') if d]
    cust = {}
    if a.customers:
        with open(a.customers, newline='', encoding='utf-8') as f:
            for row in csv.DictReader(f):
                cust[row['customer_id']] = row
    latest = {}
    with open(a.responses, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            sc = score_of(row.get('score', ''))
            if sc is None or not row.get('response_id'):
                continue
            try:
                t = parse_time(row['responded_at'])
                u = parse_time(row['updated_at']) if row.get('updated_at') else t
            except ValueError:
                continue
            key = (row.get('source') or a.source, row['response_id'])
            old = latest.get(key)
            if old is None or u >= old[0]:
                latest[key] = (u, t, sc, row)
    counts = {}
    def add(period, dim, seg, sc):
        c = counts.setdefault((period, dim, seg), [0, 0, 0])
        c[0 if sc >= 9 else 1 if sc >= 7 else 2] += 1
    for u, t, sc, row in latest.values():
        m = month_of(t)
        segs = [('all', 'all')]
        for d in dims:
            v = row.get(d)
            if v is None:
                c = cust.get(row.get('customer_id', ''))
                v = c.get(d) if c else None
            if v:
                segs.append((d, v))
        for dim, seg in segs:
            add(m, dim, seg, sc)
            add('all', dim, seg, sc)
    z = NormalDist().inv_cdf((1 + a.confidence) / 2)
    exp = {k: (sum(c), c[0], c[1], c[2]) + estimate(c[0], c[1], c[2], z) for k, c in counts.items()}
    bad = []
    def close(x, y):
        if x == '' or y == '':
            return x == y
        return abs(float(x) - float(y)) <= 1e-6 * max(1, abs(float(y)))
    with open(a.check + '/nps.csv', newline='', encoding='utf-8') as f:
        got = {}
        for r in csv.DictReader(f):
            seg = r['segment'][1:] if r['segment'][:1] == "'" else r['segment']
            got[(r['period'], r['dimension'], seg)] = r
    if set(got) != set(exp):
        bad.append('nps.csv rows differ: missing %s extra %s' % (sorted(set(exp) - set(got))[:5], sorted(set(got) - set(exp))[:5]))
    cols = ['n', 'promoters', 'passives', 'detractors', 'nps', 'se', 'ci_low', 'ci_high']
    for k in set(got) & set(exp):
        for c, v in zip(cols, exp[k]):
            if not close(got[k][c], repr(v)):
                bad.append('nps.csv %s %s: got %s want %r' % (k, c, got[k][c], v))
    # changes
    want = {}
    for (period, dim, seg), e in exp.items():
        if period == 'all':
            continue
        pm = prev_month(period)
        if (pm, dim, seg) in exp:
            e2 = exp[(pm, dim, seg)]
            diff = e[4] - e2[4]
            se = math.sqrt(e[5] ** 2 + e2[5] ** 2)
            if se > 0:
                zz = diff / se
                p = 2 * (1 - NormalDist().cdf(abs(zz)))
                sig = 'true' if p < 1 - a.confidence else 'false'
                want[(dim, seg, period)] = (e[4], e2[4], diff, se, zz, p, sig, pm)
            else:
                want[(dim, seg, period)] = (e[4], e2[4], diff, se, '', '', '', pm)
    with open(a.check + '/nps_change.csv', newline='', encoding='utf-8') as f:
        gotc = {}
        for r in csv.DictReader(f):
            seg = r['segment'][1:] if r['segment'][:1] == "'" else r['segment']
            gotc[(r['dimension'], seg, r['period'])] = r
    if set(gotc) != set(want):
        bad.append('nps_change.csv rows differ: missing %s extra %s' % (sorted(set(want) - set(gotc))[:5], sorted(set(gotc) - set(want))[:5]))
    ccols = ['nps', 'prev_nps', 'change', 'se', 'z', 'p_value']
    for k in set(gotc) & set(want):
        w = want[k]
        for c, v in zip(ccols, w[:6]):
            vs = '' if v == '' else repr(v)
            if c == 'p_value' and vs and gotc[k][c] and abs(float(gotc[k][c]) - v) <= 1e-9:
                continue
            if not close(gotc[k][c], vs):
                bad.append('nps_change.csv %s %s: got %s want %s' % (k, c, gotc[k][c], vs))
        if gotc[k]['significant'] != w[6] or gotc[k]['prev_period'] != w[7]:
            bad.append('nps_change.csv %s significant/prev: got %s/%s want %s/%s' % (k, gotc[k]['significant'], gotc[k]['prev_period'], w[6], w[7]))
    if bad:
        print('\n'.join(bad[:20]))
        print('%d differences' % len(bad))
        return 1
    print('nps.csv %d rows and nps_change.csv %d rows match the reference' % (len(exp), len(want)))
    return 0

sys.exit(main())
