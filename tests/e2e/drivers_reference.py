#!/usr/bin/env python3
"""Independent reference for drivers.csv (Kitagawa's symmetric
decomposition of the NPS change between two months, docs/methods.md).

Written from the formula alone with the Python standard library (csv,
datetime, statistics.NormalDist), sharing no code with cxpulse.  Usage:

    drivers_reference.py RESPONSES.csv [--customers CUSTOMERS.csv] --by a,b
                         [--month YYYY-MM] [--confidence 0.95] --check OUTDIR

The month is --month, else the latest month with responses; the previous
month is the calendar month before it.  Rows that cxpulse rejects are
dropped and duplicates of (source, response_id) resolved as in
nps_reference.py.  Compares OUTDIR/drivers.csv to 1e-6 and checks that the
file's total effects of each dimension add up (to 1e-9) to the change of
NPS over the responses that have the dimension.  Exits 0 when all agree.
"""
import argparse, csv, math, re, sys
from datetime import datetime, timezone
from statistics import NormalDist


def when(s):
    s = s.strip()
    if re.fullmatch(r'-?[0-9]+(\.[0-9]*)?', s):
        return math.floor(float(s))
    if len(s) == 10:
        s += 'T00:00:00'
    d = datetime.fromisoformat(s.replace(' ', 'T'))
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return math.floor(d.timestamp())


def month(t):
    d = datetime.fromtimestamp(t, tz=timezone.utc)
    return '%04d-%02d' % (d.year, d.month)


def before(m):
    y, mo = int(m[:4]), int(m[5:])
    return '%04d-12' % (y - 1) if mo == 1 else '%04d-%02d' % (y, mo - 1)


def load(path, source):
    latest = {}
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            s = row.get('score', '')
            if not re.fullmatch(r'[0-9]{1,4}(\.0*)?', s) or int(s.split('.')[0]) > 10:
                continue
            if not row.get('response_id'):
                continue
            try:
                t = when(row['responded_at'])
                u = when(row['updated_at']) if row.get('updated_at') else t
            except ValueError:
                continue
            key = (row.get('source') or source, row['response_id'])
            if key not in latest or u >= latest[key][0]:
                latest[key] = (u, t, int(s.split('.')[0]), row)
    return [(t, sc, row) for u, t, sc, row in latest.values()]


def nps_se(c):
    """NPS and Wald SE in points of class counts [P, A, D]."""
    n = sum(c)
    pp, pd = c[0] / n, c[2] / n
    return 100 * (pp - pd), 100 * math.sqrt(max(pp + pd - (pp - pd) ** 2, 0) / n)


def decompose(c0, c1, conf):
    """Rows {segment: (...)} for one dimension from counts per segment."""
    n0 = sum(sum(c) for c in c0.values())
    n1 = sum(sum(c) for c in c1.values())
    rows = {}
    for seg in set(c0) | set(c1):
        a, b = c0.get(seg), c1.get(seg)
        w0 = sum(a) / n0 if a else 0.0
        w1 = sum(b) / n1 if b else 0.0
        N0, s0 = nps_se(a) if a else (None, None)
        N1, s1 = nps_se(b) if b else (None, None)
        x0 = N0 if a else N1          # an absent segment takes the other month's NPS
        x1 = N1 if b else N0
        rate = (w0 + w1) / 2 * (x1 - x0)
        mix = (w1 - w0) * (x0 + x1) / 2
        se = p = ''
        if a and b:
            se = (w0 + w1) / 2 * math.sqrt(s0 ** 2 + s1 ** 2)
            if se > 0:
                p = 2 * (1 - NormalDist().cdf(abs(rate / se)))
            else:
                se, p = 0.0, ''
        rows[seg] = (sum(a) if a else 0, sum(b) if b else 0,
                     '' if N0 is None else N0, '' if N1 is None else N1,
                     rate, mix, rate + mix, se, p)
    total = lambda cs: 100 * (sum(c[0] for c in cs.values()) - sum(c[2] for c in cs.values())) / \
        sum(sum(c) for c in cs.values())
    return rows, total(c1) - total(c0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('responses')
    ap.add_argument('--customers')
    ap.add_argument('--by', required=True)
    ap.add_argument('--month')
    ap.add_argument('--confidence', type=float, default=0.95)
    ap.add_argument('--source', default='csv')
    ap.add_argument('--check', required=True)
    a = ap.parse_args()
    dims = [d for d in a.by.split(',') if d]
    cust = {}
    if a.customers:
        with open(a.customers, newline='', encoding='utf-8') as f:
            cust = {r['customer_id']: r for r in csv.DictReader(f)}
    resp = load(a.responses, a.source)
    m1 = a.month or max(month(t) for t, _, _ in resp)
    m0 = before(m1)
    counts = {}          # (month, dim) -> {segment: [P, A, D]}
    for t, sc, row in resp:
        m = month(t)
        if m not in (m0, m1):
            continue
        for d in dims:
            v = row.get(d)
            if v is None:
                c = cust.get(row.get('customer_id', ''))
                v = c.get(d) if c else None
            if v:
                k = counts.setdefault((m, d), {}).setdefault(v, [0, 0, 0])
                k[0 if sc >= 9 else 1 if sc >= 7 else 2] += 1
    want, change = {}, {}
    for d in dims:
        if (m0, d) in counts and (m1, d) in counts:
            rows, change[d] = decompose(counts[(m0, d)], counts[(m1, d)], a.confidence)
            for seg, r in rows.items():
                want[(d, seg)] = r
    with open(a.check + '/drivers.csv', newline='', encoding='utf-8') as f:
        rd = csv.DictReader(f)
        cols = ['n_prev', 'n', 'nps_prev', 'nps', 'rate_effect', 'mix_effect', 'total_effect',
                'se_rate', 'p_rate']
        if rd.fieldnames != ['month', 'prev_month', 'dimension', 'segment'] + cols:
            print('drivers.csv header: %s' % rd.fieldnames)
            return 1
        got = {}
        for r in rd:
            seg = r['segment'][1:] if r['segment'][:1] == "'" else r['segment']
            got[(r['dimension'], seg)] = r
    bad = []
    if set(got) != set(want):
        bad.append('rows differ: missing %s extra %s' % (sorted(set(want) - set(got))[:5],
                                                          sorted(set(got) - set(want))[:5]))
    for k in set(got) & set(want):
        g = got[k]
        if (g['month'], g['prev_month']) != (m1, m0):
            bad.append('%s months: got %s/%s want %s/%s' % (k, g['month'], g['prev_month'], m1, m0))
        for c, v in zip(cols, want[k]):
            x = g[c]
            if v == '' or x == '':
                if (v == '') != (x == ''):
                    bad.append('%s %s: got %r want %r' % (k, c, x, v))
            elif abs(float(x) - v) > 1e-6 * max(1, abs(v)):
                bad.append('%s %s: got %s want %r' % (k, c, x, v))
    for d, ch in change.items():
        s = sum(float(g['total_effect']) for (dd, _), g in got.items() if dd == d)
        if abs(s - ch) > 1e-9:
            bad.append('%s: total effects sum to %r, the change of NPS is %r' % (d, s, ch))
    if bad:
        print('\n'.join(bad[:20]))
        print('%d differences' % len(bad))
        return 1
    print('drivers.csv %d rows over %d dimensions match the reference (%s vs %s)' %
          (len(want), len(change), m1, m0))
    return 0


sys.exit(main())
