#!/usr/bin/env python3
"""Independent reference for agents.csv (docs/methods.md "Agent scoring", docs/formats.md "agents.csv").

Written from the spec, not from the C code, with the standard library only
(so it runs wherever python3 does).  Reads a responses CSV in the import /
export format and either prints the expected agents.csv or compares one
that cxpulse wrote:

  agents_reference.py expect RESPONSES.csv [options] > expected.csv
  agents_reference.py compare RESPONSES.csv GOT.csv [options]
  agents_reference.py skill AGENTS.csv AGENTS_TRUTH.csv
      prints "shrunk raw aht" Spearman correlations with the true skill

options: --config FILE (mot_types, moment_scale), --month YYYY-MM,
         --prior-strength M, --min-responses N (10), --confidence C (0.95),
         --tol T (1e-6), --flags VERBATIM_FLAGS.csv (responses flagged there
         as unlabelled moments of truth count as MoT responses too)

Choices documented in docs/methods.md, "Agent scoring" and mirrored here:
- an indicator whose ICC is undefined (K < 2, N − K ≤ 0, no variance) is
  left out of the mean; both undefined, or ρ ≤ 0 → m = ∞ (full pooling);
  ρ ≥ 1 → m = 0;
- MoT NPS: the same method on MoT responses only (π, ρ and m of the MoT
  population; --prior-strength applies to both); empty when mot_n = 0;
- ranks: competition ranks among agents with n ≥ min_responses; values
  within 1e-9 (relative) of the previous one in sorted order tie; an agent
  without handle times has no AHT rank;
- rows: by rank_feedback then agent_id (bytewise), then unranked by agent_id.
"""
import csv
import datetime
import json
import math
import statistics
import sys

HEADER = ("agent_id,n,promoters,passives,detractors,nps_raw,nps_shrunk,ci_low,"
          "ci_high,mean_peak_end,mot_n,mot_nps_shrunk,aht_s,rank_feedback,rank_aht,tier").split(",")


def parse_args(argv):
    opts = {"config": None, "month": None, "m": None, "min": 10, "conf": 0.95, "tol": 1e-6,
            "flags": None}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            v = argv[i + 1]
            i += 2
            if a == "--config": opts["config"] = v
            elif a == "--month": opts["month"] = v
            elif a == "--prior-strength": opts["m"] = float(v)
            elif a == "--min-responses": opts["min"] = int(v)
            elif a == "--confidence": opts["conf"] = float(v)
            elif a == "--tol": opts["tol"] = float(v)
            elif a == "--flags": opts["flags"] = v
            else: sys.exit("unknown option " + a)
        else:
            pos.append(a)
            i += 1
    return pos, opts


def utc_month(ts):
    ts = ts.strip()
    if ts.lstrip("-").replace(".", "", 1).isdigit():
        d = datetime.datetime.fromtimestamp(math.floor(float(ts)), datetime.timezone.utc)
    else:
        if len(ts) == 10:
            ts += "T00:00:00Z"
        d = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00").replace(" ", "T"))
        if d.tzinfo is not None:
            d = d.astimezone(datetime.timezone.utc)
    return "%04d-%02d" % (d.year, d.month)


def peak_end(ms, lo, hi):
    neutral = (lo + hi) / 2.0
    peak, best = ms[0], -1.0
    for v in ms:
        if abs(v - neutral) > best:
            best, peak = abs(v - neutral), v
    return (peak + ms[-1]) / 2.0


class Agent:
    def __init__(self, aid):
        self.id = aid
        self.cls = [0, 0, 0]          # promoters, passives, detractors
        self.mot = [0, 0, 0]
        self.pe = []
        self.ht = []


def load(path, opts):
    mot_types, lo, hi = set(), 1, 5
    if opts["config"]:
        with open(opts["config"], encoding="utf-8") as f:
            cfg = json.load(f)
        mot_types = set(cfg.get("mot_types") or [])
        if cfg.get("moment_scale"):
            lo, hi = cfg["moment_scale"]
    flagged = set()
    if opts["flags"]:
        with open(opts["flags"], newline="", encoding="utf-8") as f:
            flagged = {(r["source"], r["response_id"]) for r in csv.DictReader(f)
                       if r["unlabelled_mot"] == "true"}
    agents = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aid = row.get("agent_id", "")
            if not aid:
                continue
            if opts["month"] and utc_month(row["responded_at"]) != opts["month"]:
                continue
            score = int(float(row["score"]))
            k = 0 if score >= 9 else (1 if score >= 7 else 2)
            a = agents.setdefault(aid, Agent(aid))
            a.cls[k] += 1
            if row.get("interaction_type", "") in mot_types or \
                    (row.get("source", ""), row["response_id"]) in flagged:
                a.mot[k] += 1
            mom = row.get("moments", "").replace(",", ";").replace(" ", ";")
            ms = [int(x) for x in mom.split(";") if x != ""]
            if ms:
                a.pe.append(peak_end(ms, lo, hi))
            if row.get("handle_time_s", "") != "":
                a.ht.append(float(row["handle_time_s"]))
    return agents


def icc(groups):
    """ANOVA ICC of a 0/1 indicator; groups = [(n_i, x_i)].  None if undefined."""
    k = len(groups)
    big_n = sum(n for n, _ in groups)
    if k < 2 or big_n - k <= 0:
        return None
    p = sum(x for _, x in groups) / big_n
    # sums of squares over the individual 0/1 values
    ssb = sum(n * (x / n - p) ** 2 for n, x in groups)
    ssw = sum(x * (1 - x / n) ** 2 + (n - x) * (x / n) ** 2 for n, x in groups)
    msb, msw = ssb / (k - 1), ssw / (big_n - k)
    n0 = (big_n - sum(n * n for n, _ in groups) / big_n) / (k - 1)
    den = msb + (n0 - 1) * msw
    if den <= 0:
        return None
    return (msb - msw) / den


def prior(counts, given_m):
    """counts: list of [P, A, D] with n > 0.  Returns (piP, piD, rho, m)."""
    total = [sum(c[j] for c in counts) for j in range(3)]
    n = sum(total)
    pi_p, pi_d = total[0] / n, total[2] / n
    rs = [r for r in (icc([(sum(c), c[0]) for c in counts]),
                      icc([(sum(c), c[2]) for c in counts])) if r is not None]
    rho = sum(rs) / len(rs) if rs else None
    if given_m is not None:
        m = given_m
    elif rho is None or rho <= 0:
        m = math.inf
    elif rho >= 1:
        m = 0.0
    else:
        m = (1 - rho) / rho
    return pi_p, pi_d, rho, m


def shrink(c, pi_p, pi_d, m, z):
    if math.isinf(m):
        v = 100 * (pi_p - pi_d)
        return v, v, v
    a_p, a_d, a0 = c[0] + m * pi_p, c[2] + m * pi_d, sum(c) + m
    nps = 100 * (a_p - a_d) / a0
    var = (a_p * (a0 - a_p) + a_d * (a0 - a_d) + 2 * a_p * a_d) / (a0 * a0 * (a0 + 1))
    sd = 100 * math.sqrt(max(var, 0.0))
    return nps, max(-100.0, nps - z * sd), min(100.0, nps + z * sd)


def competition_ranks(values, descending):
    order = sorted(range(len(values)), key=lambda i: -values[i] if descending else values[i])
    ranks, prev = [0] * len(values), None
    for pos, i in enumerate(order):
        v = values[i]
        if prev is not None and abs(v - prev[0]) <= 1e-9 * max(1.0, abs(v), abs(prev[0])):
            ranks[i] = prev[1]
        else:
            ranks[i] = pos + 1
        prev = (v, ranks[i])
    return ranks


def expected(path, opts):
    agents = load(path, opts)
    z = statistics.NormalDist().inv_cdf((1 + opts["conf"]) / 2)
    pi_p, pi_d, _, m = prior([a.cls for a in agents.values()], opts["m"])
    mots = [a.mot for a in agents.values() if sum(a.mot) > 0]
    mp = prior(mots, opts["m"]) if mots else None
    rows = {}
    for a in agents.values():
        n = sum(a.cls)
        nps, lo, hi = shrink(a.cls, pi_p, pi_d, m, z)
        mot = shrink(a.mot, mp[0], mp[1], mp[3], z)[0] if sum(a.mot) > 0 else None
        rows[a.id] = {
            "agent_id": a.id, "n": n, "promoters": a.cls[0], "passives": a.cls[1],
            "detractors": a.cls[2], "nps_raw": 100 * (a.cls[0] - a.cls[2]) / n,
            "nps_shrunk": nps, "ci_low": lo, "ci_high": hi,
            "mean_peak_end": sum(a.pe) / len(a.pe) if a.pe else None,
            "mot_n": sum(a.mot), "mot_nps_shrunk": mot,
            "aht_s": sum(a.ht) / len(a.ht) if a.ht else None,
            "rank_feedback": None, "rank_aht": None, "tier": None}
    ranked = [r for r in rows.values() if r["n"] >= opts["min"]]
    # Tier of a ranked agent: its interval against the population NPS.
    pop = 100 * (pi_p - pi_d)
    for r in ranked:
        r["tier"] = ("above" if r["ci_low"] > pop else
                     "below" if r["ci_high"] < pop else "typical")
    for r, k in zip(ranked, competition_ranks([r["nps_shrunk"] for r in ranked], True)):
        r["rank_feedback"] = k
    timed = [r for r in ranked if r["aht_s"] is not None]
    for r, k in zip(timed, competition_ranks([r["aht_s"] for r in timed], False)):
        r["rank_aht"] = k
    key = lambda r: (r["rank_feedback"] is None, r["rank_feedback"] or 0,
                     r["agent_id"].encode("utf-8"))
    return sorted(rows.values(), key=key)


def escape(text):
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else text


def compare(path, got_path, opts):
    want = expected(path, opts)
    with open(got_path, newline="", encoding="utf-8") as f:
        got = list(csv.reader(f))
    if got[0] != HEADER:
        return "header differs: %s" % ",".join(got[0])
    got = got[1:]
    if len(got) != len(want):
        return "%d rows, expected %d" % (len(got), len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        for col, gv in zip(HEADER, g):
            wv = w[col]
            if col == "tier" and wv is not None:
                if gv != wv:
                    return "row %d (%s): tier %r, expected %r" % (i + 2, w["agent_id"], gv, wv)
            elif col == "agent_id":
                if gv != escape(wv):
                    return "row %d: agent_id %r, expected %r" % (i + 2, gv, escape(wv))
            elif wv is None:
                if gv != "":
                    return "row %d (%s): %s = %r, expected empty" % (i + 2, w["agent_id"], col, gv)
            elif gv == "":
                return "row %d (%s): %s empty, expected %r" % (i + 2, w["agent_id"], col, wv)
            else:
                d = abs(float(gv) - wv)
                if d > opts["tol"] * max(1.0, abs(wv)):
                    return "row %d (%s): %s = %s, expected %.12g" % (i + 2, w["agent_id"], col, gv, wv)
    return None


def midranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r, i = [0.0] * len(v), 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = midranks(x), midranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy)


def skill(agents_csv, truth_csv):
    with open(truth_csv, newline="", encoding="utf-8") as f:
        truth = {r["agent_id"]: float(r["skill"]) for r in csv.DictReader(f)}
    with open(agents_csv, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["agent_id"] in truth and r["aht_s"] != ""]
    s = [truth[r["agent_id"]] for r in rows]
    return (spearman([float(r["nps_shrunk"]) for r in rows], s),
            spearman([float(r["nps_raw"]) for r in rows], s),
            spearman([-float(r["aht_s"]) for r in rows], s), len(rows))


def fmt(v):
    return "" if v is None else ("%.17g" % v if isinstance(v, float) else str(v))


def main():
    pos, opts = parse_args(sys.argv[1:])
    if pos and pos[0] == "expect" and len(pos) == 2:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(HEADER)
        for r in expected(pos[1], opts):
            w.writerow([escape(r[c]) if c == "agent_id" else fmt(r[c]) for c in HEADER])
        return 0
    if pos and pos[0] == "compare" and len(pos) == 3:
        why = compare(pos[1], pos[2], opts)
        if why:
            print("agents.csv differs from the reference: " + why)
            return 1
        return 0
    if pos and pos[0] == "skill" and len(pos) == 3:
        sh, raw, aht, n = skill(pos[1], pos[2])
        print("%.6f %.6f %.6f %d" % (sh, raw, aht, n))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
