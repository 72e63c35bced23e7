#!/usr/bin/python3
"""Independent reference for cxpulse's CX tables (docs/methods.md, docs/formats.md "CX tables").

    cx_reference.py compare --data DIR --config CFG --out OUTDIR [--by a,b] [--month YYYY-MM]
        recomputes peak_end.csv, moments_of_truth.csv, spend_delta.csv,
        spend_tests.csv, pareto.csv and hic.csv from DIR/responses.csv,
        customers.csv and spend.csv with pandas/scipy, and compares every
        cell with OUTDIR/*.csv (relative 1e-6, absolute 1e-9 near zero).
    cx_reference.py effects --out OUTDIR
        asserts the effects gen-sample plants (docs/sample-data.md).

Written from the spec, not from the C code: plain loops, scipy.stats for
the distributions, fractions for the top-share counts.  Prints one line;
exit status 0 pass, 1 fail.
"""
import argparse
import csv
import json
import math
import os
import re
import sys
from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy import stats

TOP_SHARES = ["0.01", "0.05", "0.1", "0.2", "0.5"]


def ts_value(s):
    """UTC seconds of unix seconds or ISO 8601 (no zone = UTC), floored."""
    s = s.strip()
    if re.fullmatch(r"-?[0-9]+(\.[0-9]*)?", s):
        return math.floor(float(s))
    dt = datetime.fromisoformat(s.replace(" ", "T"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return math.floor(dt.timestamp())


def day_of(ts):
    return ts // 86400


def date_day(s):
    return (datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()) // 86400


def month_of(ts):
    d = datetime.fromtimestamp(ts, tz=timezone.utc)
    return "%04d-%02d" % (d.year, d.month)


def nps_class(score):
    return 1 if score >= 9 else (0 if score >= 7 else -1)


def nps_est(p, a, d, z):
    n = p + a + d
    if n == 0:
        return n, math.nan, math.nan, math.nan
    nps = 100.0 * (p - d) / n
    n2 = n + 3.0
    pp, pd_ = (p + 0.75) / n2, (d + 0.75) / n2
    v = pp - pd_
    se = math.sqrt(max(pp + pd_ - v * v, 0.0) / n2)
    lo = max(-100.0, min(100.0, 100.0 * (v - z * se)))
    hi = max(-100.0, min(100.0, 100.0 * (v + z * se)))
    return n, nps, lo, hi


def peak_end(m, lo, hi):
    neutral = (lo + hi) / 2.0
    peak = m[0]
    best = abs(m[0] - neutral)
    for x in m[1:]:
        if abs(x - neutral) > best:
            best, peak = abs(x - neutral), x
    return (peak + m[-1]) / 2.0


def pearson_ci(x, y, z):
    n = len(x)
    if n < 3 or np.std(x) == 0 or np.std(y) == 0:
        return math.nan, math.nan, math.nan
    r = stats.pearsonr(x, y)[0]
    if abs(r) >= 1 - 1e-12:
        return math.copysign(1.0, r), math.nan, math.nan
    if n < 4:
        return r, math.nan, math.nan
    h = z / math.sqrt(n - 3)
    return r, math.tanh(math.atanh(r) - h), math.tanh(math.atanh(r) + h)


def load(args):
    cfg = json.load(open(args.config))
    lo, hi = cfg.get("moment_scale", [1, 5])
    conf = cfg.get("confidence", 0.95)
    W = cfg.get("spend_window_days", 90)
    mot = list(cfg.get("mot_types", []))
    by = [b for b in (args.by or "").split(",") if b]

    customers = {}
    with open(args.data + "/customers.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            av = row["annual_value"].strip()
            customers[row["customer_id"]] = (float(av) if av else None, row)

    spend = {}
    with open(args.data + "/spend.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            spend.setdefault(row["customer_id"], []).append((date_day(row["date"]), row["amount"].strip()))
    # each amount as a double and as the decimal written (Decimal, exact)
    spend = {c: (np.array([d for d, _ in v]), np.array([float(a) for _, a in v]),
                 np.array([Decimal(a) for _, a in v], dtype=object)) for c, v in spend.items()}
    all_days = np.concatenate([v[0] for v in spend.values()]) if spend else np.array([])

    # The store upserts by response_id: a row with a newer-or-equal
    # updated_at replaces the one before (docs/formats.md, response_id).
    by_id = {}
    with open(args.data + "/responses.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        for row in reader:
            at = ts_value(row["responded_at"])
            upd = ts_value(row["updated_at"]) if row["updated_at"].strip() else at
            old = by_id.get(row["response_id"])
            if old is None or upd >= old[1]:
                by_id[row["response_id"]] = (row, upd, at)
    responses = []
    for row, upd, at in by_id.values():
        if args.month and month_of(at) != args.month:
            continue
        mom = [int(x) for x in row["moments"].replace(",", ";").split(";") if x.strip()]
        seg = []
        for b in by:
            if b in header:
                v = row[b]
            else:
                c = customers.get(row["customer_id"])
                v = c[1].get(b, "") if c else ""
            seg.append(v or None)
        responses.append(dict(id=row["response_id"], at=at, upd=upd, score=int(row["score"]),
                              cust=row["customer_id"], type=row["interaction_type"],
                              moments=mom, seg=seg))
    return dict(cfg=cfg, lo=lo, hi=hi, conf=conf, W=W, mot=mot, by=by, customers=customers,
                spend=spend, all_days=all_days, responses=responses,
                z=stats.norm.ppf((1 + conf) / 2))


def window_sum(spend, cust, a, b):
    if cust not in spend:
        return 0.0
    d, amt, _ = spend[cust]
    return float(math.fsum(amt[(d >= a) & (d <= b)]))


def window_decimal(spend, cust, a, b):
    """The exact decimal sum of the amounts as written."""
    if cust not in spend:
        return Decimal(0)
    d, _, dec = spend[cust]
    return sum(dec[(d >= a) & (d <= b)], Decimal(0))


def places(x):
    """Decimal places of X without trailing zeros (5.00: 0, 0.10: 1)."""
    return max(0, -x.normalize().as_tuple().exponent) if x else 0


def peak_table(D):
    groups = {("all", "all"): []}
    for r in D["responses"]:
        if not r["moments"]:
            continue
        m = r["moments"]
        item = (peak_end(m, D["lo"], D["hi"]), sum(m) / len(m), r["score"])
        groups[("all", "all")].append(item)
        for b, v in zip(D["by"], r["seg"]):
            if v is not None:
                groups.setdefault((b, v), []).append(item)
    out = {}
    for k, items in groups.items():
        n = len(items)
        pe = np.array([i[0] for i in items]); mm = np.array([i[1] for i in items])
        sc = np.array([i[2] for i in items], dtype=float)
        row = [n, pe.mean() if n else math.nan, mm.mean() if n else math.nan]
        row += list(pearson_ci(pe, sc, D["z"])) + list(pearson_ci(mm, sc, D["z"]))
        out[k] = row
    return out


def outcome(r, D):
    if r["moments"]:
        return "positive" if peak_end(r["moments"], D["lo"], D["hi"]) >= (D["lo"] + D["hi"]) / 2 else "negative"
    c = nps_class(r["score"])
    return "positive" if c > 0 else ("negative" if c < 0 else "none")


def with_spend(D):
    """(response, pre, post) for responses with complete windows."""
    if len(D["all_days"]) == 0:
        return []
    first, last, W = D["all_days"].min(), D["all_days"].max(), D["W"]
    out = []
    for r in D["responses"]:
        if not r["cust"]:
            continue
        d = day_of(r["at"])
        if d - W < first or d + W > last:
            continue
        out.append((r, d))
    # Window sums are math.fsum's, but two that are the same money in
    # decimal are both that decimal (delta exactly 0), unless an amount of
    # these customers has more than 6 decimal places (methods.md, Spend
    # deltas).
    custs = {r["cust"] for r, _ in out}
    D_places = max((places(a) for c in custs if c in D["spend"] for a in D["spend"][c][2]), default=0)
    ws = []
    for r, d in out:
        pre = window_sum(D["spend"], r["cust"], d - W, d - 1)
        post = window_sum(D["spend"], r["cust"], d + 1, d + W)
        if pre != post and D_places <= 6:
            dpre = window_decimal(D["spend"], r["cust"], d - W, d - 1)
            if dpre == window_decimal(D["spend"], r["cust"], d + 1, d + W):
                pre = post = float(dpre)
        ws.append((r, pre, post))
    return ws


def mot_table(D, ws, flagged=frozenset()):
    """FLAGGED: response ids verbatim_flags.csv marks as unlabelled moments
    of truth; those of routine types make the row 'unlabelled', last."""
    delta = {id(r): post - pre for r, pre, post in ws}
    out = {}
    groups = [(t, [r for r in D["responses"] if r["type"] == t]) for t in D["mot"]]
    groups.append(("unlabelled", [r for r in D["responses"]
                                  if r["type"] not in D["mot"] and r["id"] in flagged]))
    for t, rs in groups:
        if not rs or t in out:
            continue
        cls = [nps_class(r["score"]) for r in rs]
        n, nps, lo, hi = nps_est(cls.count(1), cls.count(0), cls.count(-1), D["z"])
        pes = [peak_end(r["moments"], D["lo"], D["hi"]) for r in rs if r["moments"]]
        oc = [outcome(r, D) for r in rs]
        sp = [(o, delta[id(r)]) for r, o in zip(rs, oc) if id(r) in delta]
        pos = [d for o, d in sp if o == "positive"]
        neg = [d for o, d in sp if o == "negative"]
        out[(t,)] = [n, nps, lo, hi, np.mean(pes) if pes else math.nan,
                     oc.count("positive"), oc.count("negative"), len(sp),
                     sum(d > 0 for d in pos) / len(pos) if pos else math.nan,
                     sum(d < 0 for d in neg) / len(neg) if neg else math.nan]
    return out


def group_row(pre, post, conf):
    n = len(pre)
    if n == 0:
        return [0] + [math.nan] * 10
    pre, post = np.array(pre), np.array(post)
    d = post - pre
    row = [n, pre.mean(), post.mean(), d.mean(), float(np.median(d))]
    ci = [math.nan, math.nan]
    t = p = math.nan
    if n >= 2:
        s = d.std(ddof=1)
        tq = stats.t.ppf((1 + conf) / 2, n - 1)
        ci = [d.mean() - tq * s / math.sqrt(n), d.mean() + tq * s / math.sqrt(n)]
        if s > 0:
            res = stats.ttest_1samp(d, 0.0)
            t, p = float(res.statistic), float(res.pvalue)
    return row + ci + [float(np.mean(d > 0)), float(np.mean(d < 0)), t, p]


def spend_tables(D, ws):
    groups = {}
    fixed = [("nps_class", g) for g in ("promoter", "passive", "detractor")] + \
            [("mot_outcome", g) for g in ("positive", "negative", "none", "routine")]
    for k in fixed:
        groups[k] = ([], [])
    names = {1: "promoter", 0: "passive", -1: "detractor"}
    for r, pre, post in ws:
        keys = [("nps_class", names[nps_class(r["score"])]),
                ("mot_outcome", outcome(r, D) if r["type"] in D["mot"] else "routine")]
        keys += [(b, v) for b, v in zip(D["by"], r["seg"]) if v is not None]
        for k in keys:
            groups.setdefault(k, ([], []))
            groups[k][0].append(pre)
            groups[k][1].append(post)
    delta = {k: np.array(v[1]) - np.array(v[0]) for k, v in groups.items()}
    table = {k: group_row(v[0], v[1], D["conf"]) for k, v in groups.items()}
    tests = {}
    for name, a, b in (("promoter vs detractor", ("nps_class", "promoter"), ("nps_class", "detractor")),
                       ("positive vs negative", ("mot_outcome", "positive"), ("mot_outcome", "negative"))):
        x, y = delta[a], delta[b]
        row = [len(x), len(y), x.mean() if len(x) else math.nan, y.mean() if len(y) else math.nan]
        row.append(row[2] - row[3])
        t = df = p = math.nan
        if len(x) >= 2 and len(y) >= 2:
            va, vb = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
            if va + vb > 0:
                res = stats.ttest_ind(x, y, equal_var=False)
                t, p = float(res.statistic), float(res.pvalue)
                df = (va + vb) ** 2 / (va ** 2 / (len(x) - 1) + vb ** 2 / (len(y) - 1))
        tests[(name,)] = row + [t, df, p]
    return table, tests


def clv(t1, years, rate):
    if rate <= 0:
        return t1 * years
    whole = math.floor(years)
    if years == whole:
        return t1 * math.fsum((1 + rate) ** -k for k in range(1, whole + 1))
    return t1 * (1 - (1 + rate) ** -years) / rate


def hic_tables(D):
    cfg = D["cfg"]
    last = D["all_days"].max() if len(D["all_days"]) else None
    t1 = {}
    for c, (av, _) in D["customers"].items():
        if av is not None:
            t1[c] = av
        else:
            t1[c] = window_sum(D["spend"], c, last - 364, last) if last is not None else 0.0
    order = sorted(t1, key=lambda c: (-t1[c], c))
    N = len(order)
    total = math.fsum(t1.values())

    def top(share):
        return min(N, math.ceil(Fraction(share) * N))

    pareto = {}
    for s in TOP_SHARES:
        k = top(s)
        pareto[(s,)] = [k, math.fsum(t1[c] for c in order[:k]) / total if total != 0 else math.nan]

    latest, counts = {}, {}
    for r in D["responses"]:
        if r["cust"] not in t1:
            continue
        counts.setdefault(r["cust"], []).append(nps_class(r["score"]))
        key = (r["at"], r["upd"], r["id"])
        if r["cust"] not in latest or key > latest[r["cust"]][0]:
            latest[r["cust"]] = (key, nps_class(r["score"]))
    k = top(repr(float(cfg.get("hic_top", 0.2))))
    years, rate = cfg.get("clv_years", 5), cfg.get("discount_rate", 0)
    hic = {}
    for name, members in (("hic", order[:k]), ("other", order[k:]), ("all", order)):
        cls = [x for c in members for x in counts.get(c, [])]
        n, nps, lo, hi = nps_est(cls.count(1), cls.count(0), cls.count(-1), D["z"])
        values = [clv(t1[c], years, rate) for c in members]
        risk = [v for c, v in zip(members, values) if c in latest and latest[c][1] < 0]
        hic[(name,)] = [len(members), n, cls.count(1), cls.count(0), cls.count(-1), nps, lo, hi,
                        math.fsum(values), math.fsum(risk)]
    return pareto, hic


def read_csv(path, nkey):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    out = {}
    for row in rows[1:]:
        key = tuple(row[:nkey])
        if key in out:
            raise AssertionError("%s: duplicate row %s" % (path, key))
        out[key] = row[nkey:]
    return rows[0], out


def close(got, want):
    if isinstance(want, float) and math.isnan(want):
        return got == ""
    if got == "":
        return False
    g = float(got)
    return abs(g - want) <= max(1e-6 * abs(want), 1e-9)


def esc(text):
    """The formula-injection escape (docs/formats.md) of a text field."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else text


def compare(name, path, nkey, want, problems):
    header, got = read_csv(path, nkey)
    want = {tuple(esc(k) for k in key): v for key, v in want.items()}
    if set(got) != set(want):
        problems.append("%s: rows %s missing, %s unexpected" % (
            name, sorted(set(want) - set(got))[:5], sorted(set(got) - set(want))[:5]))
    for k in set(got) & set(want):
        for col, g, w in zip(header[nkey:], got[k], want[k]):
            if not close(g, float(w)):
                problems.append("%s %s %s: got %r, want %r" % (name, "/".join(k), col, g, w))
    return len(want)


def cmd_compare(args):
    D = load(args)
    ws = with_spend(D)
    spend, tests = spend_tables(D, ws)
    pareto, hic = hic_tables(D)
    pareto_keys = {}
    problems = []
    # pareto.csv keys are numbers: match on the value, not the text.
    header, got = read_csv(args.out + "/pareto.csv", 1)
    for k, v in got.items():
        pareto_keys[(repr(float(k[0])) if k[0] else k[0],)] = v
    want_p = {(repr(float(s[0])),): v for s, v in pareto.items()}
    if set(pareto_keys) != set(want_p):
        problems.append("pareto.csv: top shares %s, want %s" % (sorted(pareto_keys), sorted(want_p)))
    for k in set(pareto_keys) & set(want_p):
        for col, g, w in zip(header[1:], pareto_keys[k], want_p[k]):
            if not close(g, float(w)):
                problems.append("pareto.csv %s %s: got %r, want %r" % (k[0], col, g, w))
    cells = len(want_p)
    cells += compare("peak_end.csv", args.out + "/peak_end.csv", 2, peak_table(D), problems)
    flagged = set()
    if os.path.exists(args.out + "/verbatim_flags.csv"):
        with open(args.out + "/verbatim_flags.csv", newline="", encoding="utf-8") as f:
            flagged = {r["response_id"] for r in csv.DictReader(f) if r["unlabelled_mot"] == "true"}
    cells += compare("moments_of_truth.csv", args.out + "/moments_of_truth.csv", 1,
                     mot_table(D, ws, flagged), problems)
    cells += compare("spend_delta.csv", args.out + "/spend_delta.csv", 2, spend, problems)
    cells += compare("spend_tests.csv", args.out + "/spend_tests.csv", 1, tests, problems)
    cells += compare("hic.csv", args.out + "/hic.csv", 1, hic, problems)
    if problems:
        for p in problems[:20]:
            print(p, file=sys.stderr)
        print("FAIL cx reference: %d mismatches over %d rows" % (len(problems), cells))
        return 1
    print("ok cx reference: %d rows of 6 CSVs match (%d responses, %d with spend windows)"
          % (cells, len(D["responses"]), len(ws)))
    return 0


def rows_of(path, nkey):
    header, rows = read_csv(path, nkey)
    return {k: dict(zip(header[nkey:], v)) for k, v in rows.items()}


def cmd_effects(args):
    """Planted effects of gen-sample (docs/sample-data.md): spend up after a
    positive MoT with p = 0.85, down after a negative one with p = 0.70,
    peak-end predicting the score better than the mean, and no spend effect
    for routine responses (a fixed seed, so the null test is deterministic)."""
    sd = rows_of(args.out + "/spend_delta.csv", 2)
    pos, neg = sd[("mot_outcome", "positive")], sd[("mot_outcome", "negative")]
    routine = sd[("mot_outcome", "routine")]
    p_up, n_pos = float(pos["up_share"]), int(pos["n"])
    p_down, n_neg = float(neg["down_share"]), int(neg["n"])
    pe = rows_of(args.out + "/peak_end.csv", 2)[("all", "all")]
    t = rows_of(args.out + "/spend_tests.csv", 1)[("positive vs negative",)]
    fails = []
    # Within 4 binomial standard errors of the planted probabilities.
    if abs(p_up - 0.85) > 4 * math.sqrt(0.85 * 0.15 / n_pos):
        fails.append("share up after positive %.3f (n=%d) not near 0.85" % (p_up, n_pos))
    if abs(p_down - 0.70) > 4 * math.sqrt(0.70 * 0.30 / n_neg):
        fails.append("share down after negative %.3f (n=%d) not near 0.70" % (p_down, n_neg))
    if not float(pe["r_peak_end"]) > float(pe["r_mean"]):
        fails.append("r peak-end %s not above r mean %s" % (pe["r_peak_end"], pe["r_mean"]))
    if not float(pe["r_peak_end_low"]) > float(pe["r_mean_low"]):
        fails.append("peak-end CI %s.. not above mean CI %s.." % (pe["r_peak_end_low"], pe["r_mean_low"]))
    rp = float(routine["p_value"])
    if not rp >= 0.05:
        fails.append("routine null effect is significant: p = %g" % rp)
    if not float(routine["ci_low"]) <= 0 <= float(routine["ci_high"]):
        fails.append("routine CI %s..%s excludes 0" % (routine["ci_low"], routine["ci_high"]))
    if not (float(t["diff"]) > 0 and float(t["p_value"]) < 0.001):
        fails.append("positive vs negative spend: diff %s p %s" % (t["diff"], t["p_value"]))
    if fails:
        print("FAIL cx effects: " + "; ".join(fails))
        return 1
    print("ok cx effects: up after positive %.3f (n=%d), down after negative %.3f (n=%d), "
          "r peak-end %.4f vs r mean %.4f, routine delta %.3f p=%.3g"
          % (p_up, n_pos, p_down, n_neg, float(pe["r_peak_end"]), float(pe["r_mean"]),
             float(routine["mean_delta"]), rp))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["compare", "effects"])
    ap.add_argument("--data")
    ap.add_argument("--config")
    ap.add_argument("--out", required=True)
    ap.add_argument("--by", default="")
    ap.add_argument("--month")
    args = ap.parse_args()
    try:
        return cmd_compare(args) if args.cmd == "compare" else cmd_effects(args)
    except (AssertionError, KeyError, ValueError, OSError) as e:
        print("FAIL cx reference: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
