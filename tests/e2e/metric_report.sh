# report --metric csat|ces is a report on that metric from top to bottom:
# the summary's findings, the trend table, the segments and the agents
# show the metric's figures, the analyses that exist for NPS only are named
# in one line, and its charts (trend with interval band, segments, agents)
# are drawn as SVG and PNG with their data in .dat files.  Every figure is
# checked against scipy 1.10.1 computed here from the raw answers: Wilson
# intervals (binomtest().proportion_ci(method='wilson')), the pooled
# two-proportion z-test with 2*norm.sf for a segment against the rest of
# its month and a month against the one before, t.interval clipped to 1-7
# and ttest_ind(equal_var=False) for CES; the findings test a segment with
# Agresti-Caffo's adjusted counts (CSAT) or ttest_ind(equal_var=True)
# (CES), only with --min-responses on a side; their Benjamini-Hochberg
# adjustment is computed by hand (as R's p.adjust(p, "BH")).  The NPS report of the same
# store keeps its own sections.
. tests/e2e/lib.inc
$PY - "$T/m.csv" <<'PY'
import random, sys
random.seed(17)
# Planted: chat satisfied more and with less effort than phone; agents a00..a11 of rising skill.
hostile = "x' ; system('touch PWNED') ; '"
rows = ["response_id,responded_at,score,metric,channel,agent_id,handle_time_s"]
i = 0
for month, days, count in (("2025-10", 31, 120), ("2026-08", 31, 240), ("2026-09", 30, 240), ("2026-10", 31, 240)):
    for k in range(count):
        ch = ("phone", "chat", "email")[k % 3] if k != 7 else hostile
        ag = "a%02d" % (k % 12)
        skill = (k % 12) / 11.0
        day = 1 + k % days
        t = "%s-%02dT%02d:%02d:00Z" % (month, day, k % 24, k % 60)
        p = {"phone": 0.45, "chat": 0.85}.get(ch, 0.65) + 0.3 * (skill - 0.5)
        if month == "2026-09": p -= 0.1
        if month == "2025-10": p -= 0.2
        sat = random.random() < p
        score = random.choice((4, 5)) if sat else random.choice((1, 2, 3))
        if k % 10 == 0: score = "good" if sat else "bad"
        i += 1
        rows.append("c%d,%s,%s,csat,%s,%s,%d" % (i, t, score, '"' + ch + '"' if "'" in ch else ch, ag, 200 + k))
        mu = {"phone": 3.2, "chat": 5.4}.get(ch, 4.3) + 1.5 * (skill - 0.5)
        ces = min(7, max(1, round(random.gauss(mu, 1.2))))
        i += 1
        rows.append("e%d,%s,%d,ces,%s,%s,%d" % (i, t, ces, ch, ag, 200 + k))
    rows.append("n%d,%s-03T10:00:00Z,9,nps,phone,a01,300" % (i, month))
    i += 1
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
"$CX" --db "$T/db" --quiet import responses "$T/m.csv" || fail "import"
for metric in csat ces; do
    "$CX" --db "$T/db" --quiet report --metric $metric --month 2026-10 --by channel --min-responses 5 \
        --out "$T/$metric" > /dev/null || fail "report --metric $metric"
    # no agent ranked (60 answers each in the window): the findings are the
    # segments' alone, each channel (about 80) against its rest tested
    "$CX" --db "$T/db" --quiet report --metric $metric --month 2026-10 --by channel --min-responses 70 \
        --out "$T/${metric}_seg" > /dev/null || fail "report --metric $metric, no agent ranked"
    for d in $metric ${metric}_seg; do sed 's/ data-label="[^"]*"//g' "$T/$d/index.html" > "$T/$d/plain.html"; done
done
$PY - "$T" "$T/m.csv" <<'PY' || fail "a CSAT or CES report differs from scipy"
import csv, html, math, re, sys
from scipy import stats
T, src = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, newline="")))
Z = stats.norm.ppf(0.975)
bad = []
def check(what, ok):
    if not ok: bad.append(what)
def sat(r): return r["score"] in ("4", "5", "good")
def f1(x): return "%.1f" % x
def f2(x): return "%.2f" % x
def two_prop(x1, n1, x2, n2):
    pp = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
    z = (x1 / n1 - x2 / n2) / se
    return x1 / n1 - x2 / n2, 2 * stats.norm.sf(abs(z))
def wilson(x, n):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high
def tint(v):
    m = sum(v) / len(v)
    lo, hi = stats.t.interval(0.95, len(v) - 1, m, stats.tstd(v) / math.sqrt(len(v)))
    return m, max(1, lo), min(7, hi)
def pval(p): return "p < 0.001" if p < 0.001 else "p = %s" % ("%.2g" % p if p < 1 else "1")
def section(page, sid):
    m = re.search(r'<section id="%s">(.*?)</section>' % sid, page, re.S)
    return m.group(1) if m else ""
def table_rows(s):
    return [[html.unescape(re.sub("<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", s, re.S) if "<td>" in r]
for metric in ("csat", "ces"):
    page = open("%s/%s/plain.html" % (T, metric)).read()
    ids = re.findall(r'<section id="([^"]+)"', page)
    check("%s sections: %s" % (metric, ids), ids == ["summary", "trend", "segments", "agents", "nps-only", "quality", "methods"])
    rs = [r for r in rows if r["metric"] == metric]
    months = sorted({r["responded_at"][:7] for r in rs})
    # the trend table: newest month first, with the change from the month before
    got = table_rows(section(page, "trend"))
    want = []
    abbr = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    for i, mo in reversed(list(enumerate(months))):
        m = [r for r in rs if r["responded_at"].startswith(mo)]
        y_, m_ = map(int, mo.split("-"))
        before = "%04d-%02d" % ((y_, m_ - 1) if m_ > 1 else (y_ - 1, 12))   # the calendar month before
        prev = [r for r in rs if r["responded_at"].startswith(before)] or None
        if metric == "csat":
            x = sum(map(sat, m)); lo, hi = wilson(x, len(m))
            row = [mo, "{:,}".format(len(m)), f1(100 * x / len(m)) + "%", "%s\u2013%s" % (f1(100 * lo), f1(100 * hi))]
            if prev:
                d, p = two_prop(x, len(m), sum(map(sat, prev)), len(prev))
                row += [f1(100 * d), pval(p)]
        else:
            v = [int(r["score"]) for r in m]; mean, lo, hi = tint(v)
            row = [mo, "{:,}".format(len(m)), f2(mean), "%s\u2013%s" % (f2(lo), f2(hi))]
            if prev:
                w = [int(r["score"]) for r in prev]
                row += [f2(mean - sum(w) / len(w)), pval(stats.ttest_ind(v, w, equal_var=False).pvalue)]
        row[0] = "%s\xa0%d" % (abbr[m_ - 1], y_)   # "Oct 2026", as the page writes it
        want.append(row + ([] if prev else ["\u2013", "\u2013"]))
    check("%s trend: %s vs %s" % (metric, got, want), got == want)
    # the headline's year-ago line and 12-month trend (weighted least squares
    # by hand, weights 1/SE^2 with the Wald SE of a share or s/sqrt(n) of a
    # mean, dispersion max(1, chi2/(k-2)); as stats/trendfit.c documents)
    def month_stats(mo):
        m = [r for r in rs if r["responded_at"].startswith(mo)]
        if metric == "csat":
            x = sum(map(sat, m)); p_ = x / len(m)
            return len(m), p_, math.sqrt(p_ * (1 - p_) / len(m)), x
        v = [int(r["score"]) for r in m]
        return len(m), sum(v) / len(v), stats.tstd(v) / math.sqrt(len(v)), v
    cur, year = month_stats("2026-10"), month_stats("2025-10")
    if metric == "csat":
        d, p = two_prop(cur[3], cur[0], year[3], year[0])
        want = "Against the same month last year: %s %s points from October 2025 (%s%%)" % (
            "up" if d > 0 else "down", f1(abs(100 * d)), f1(100 * year[1]))
    else:
        d = cur[1] - year[1]; p = stats.ttest_ind(cur[3], year[3], equal_var=False).pvalue
        want = "Against the same month last year: %s %s from October 2025 (%s)" % (
            "up" if d > 0 else "down", f2(abs(d)), f2(year[1]))
    facts = html.unescape(re.sub("<[^>]+>", "", section(page, "summary")))
    check("%s year line: want %r in %r" % (metric, want, facts), want in facts and pval(p) in facts.split("last year:")[1])
    xs, ys, ses = [], [], []
    for i, mo in enumerate(["2025-%02d" % m for m in (11, 12)] + ["2026-%02d" % m for m in range(1, 11)]):
        if mo in months:
            n_, v_, se_, _ = month_stats(mo); xs.append(i); ys.append(v_); ses.append(se_)
    w = [1 / s_ ** 2 for s_ in ses]
    mx = sum(a * b for a, b in zip(w, xs)) / sum(w); my = sum(a * b for a, b in zip(w, ys)) / sum(w)
    sxx = sum(a * (b - mx) ** 2 for a, b in zip(w, xs))
    slope = sum(a * (b - mx) * (c - my) for a, b, c in zip(w, xs, ys)) / sxx
    chi2 = sum(a * (c - (my + slope * (b - mx))) ** 2 for a, b, c in zip(w, xs, ys))
    se = math.sqrt(max(1, chi2 / (len(xs) - 2)) / sxx)
    sc, fmt = (100, lambda x: "%.2f" % x) if metric == "csat" else (1, lambda x: "%.3f" % x)
    want = "%s by %s%s a month (95%% interval %s to %s, %d months)" % (
        "rising" if slope >= 0 else "falling", fmt(abs(sc * slope)), " points" if metric == "csat" else "",
        fmt(sc * (slope - Z * se)), fmt(sc * (slope + Z * se)), len(xs))
    check("%s trend line: want %r in %r" % (metric, want, facts), want in facts)
    # segments of October against the rest of October, and the findings
    oct_ = [r for r in rs if r["responded_at"].startswith("2026-10")]
    got = table_rows(section(page, "segments"))
    want, tests = [], []
    for ch in sorted({r["channel"] for r in oct_}):
        a = [r for r in oct_ if r["channel"] == ch]; b = [r for r in oct_ if r["channel"] != ch]
        if metric == "csat":
            x = sum(map(sat, a)); lo, hi = wilson(x, len(a))
            d, p = two_prop(x, len(a), sum(map(sat, b)), len(b))
            row = [ch, str(len(a)), f1(100 * x / len(a)) + "%", "%s to %s" % (f1(100 * lo), f1(100 * hi))]
        else:
            v = [int(r["score"]) for r in a]; w = [int(r["score"]) for r in b]
            mean, lo, hi = tint(v) if len(v) > 1 else (v[0], float("nan"), float("nan"))
            d = mean - sum(w) / len(w)
            p = stats.ttest_ind(v, w, equal_var=False).pvalue if len(v) > 1 else float("nan")
            row = [ch, str(len(a)), f2(mean), "\u2013" if len(v) < 2 else "%s to %s" % (f2(lo), f2(hi))]
        sig = p < 0.05
        row.append(("higher" if d > 0 else "lower") + " (%s)" % pval(p) if sig else "no clear difference")
        want.append(row)
        # the findings' test (docs/methods.md "A segment against the rest
        # of its month"): only with 70 answers a side (--min-responses of
        # the _seg page); CSAT on Agresti-Caffo adjusted counts, CES the
        # pooled-variance t-test
        if len(a) >= 70 and len(b) >= 70:
            if metric == "csat":
                x1, x2 = sum(map(sat, a)) + 1, sum(map(sat, b)) + 1
                p1, p2 = x1 / (len(a) + 2), x2 / (len(b) + 2)
                z = (p1 - p2) / math.sqrt(p1 * (1 - p1) / (len(a) + 2) + p2 * (1 - p2) / (len(b) + 2))
                tests.append((d, 2 * stats.norm.sf(abs(z))))
            else:
                tests.append((d, stats.ttest_ind(v, w, equal_var=True).pvalue))
    check("%s segments: %s vs %s" % (metric, got, want), got == want)
    def bh(ps):
        m, order = len(ps), sorted(range(len(ps)), key=lambda i: ps[i])
        q, run = [0.0] * m, 1.0
        for rank in range(m, 0, -1):
            i = order[rank - 1]
            run = min(run, m * ps[i] / rank)
            q[i] = min(1.0, run)
        return q
    qs = bh([p for _, p in tests])
    want_seg = sorted([(d, q) for (d, _), q in zip(tests, qs) if q < 0.05], key=lambda x: -abs(x[0]))[:5]
    segpage = open("%s/%s_seg/plain.html" % (T, metric)).read()
    found = [(k, float(e), float(q)) for k, e, q in
             re.findall(r'<li data-kind="(\w+)" data-effect="([^"]+)" data-q="([^"]+)"', section(segpage, "summary"))]
    check("%s findings: %s vs %s" % (metric, found, want_seg),
          len(found) == len(want_seg) and all(k == "segment" and abs(e - d) < 1e-6 and abs(q - wq) < 1e-6
                                              for (k, e, q), (d, wq) in zip(found, want_seg)))
    check("%s: %d comparisons tested" % (metric, len(tests)),
          re.search(r"\b%d comparisons tested" % len(tests), section(segpage, "summary")) is not None)
    found = re.findall(r'<li data-kind="(\w+)"', section(page, "summary"))
    check("%s: only segment and agent findings: %s" % (metric, found), all(k in ("segment", "agents") for k in found))
    # agents: the table is agents_<metric>.csv as the page shows it
    ag = list(csv.DictReader(open("%s/%s/agents_%s.csv" % (T, metric, metric), newline="")))
    got = table_rows(section(page, "agents"))
    val = (lambda x: f1(100 * float(x)) + "%") if metric == "csat" else (lambda x: f2(float(x)))
    rng = (lambda a, b: "%s to %s" % (f1(100 * float(a)), f1(100 * float(b)))) if metric == "csat" else \
          (lambda a, b: "%s to %s" % (f2(float(a)), f2(float(b))))
    shr = "mean_shrunk" if metric == "ces" else "share_shrunk"
    raw = "mean_raw" if metric == "ces" else "share_raw"
    # grouped by the CSV's tier (above, typical, below, unranked), in the CSV's order inside each
    ag.sort(key=lambda a: ["above", "typical", "below", ""].index(a["tier"]))
    want = [[a["agent_id"], a["n"], "%s (%s)" % (val(a[shr]), rng(a["ci_low"], a["ci_high"])), val(a[raw])] for a in ag]
    check("%s agents: %s vs %s" % (metric, [g[2:6] for g in got], want), [g[2:6] for g in got] == want)
    label = {"above": "Clearly above", "typical": "Typical", "below": "Clearly below", "": "Too few responses"}
    check("%s agents' tiers: %s" % (metric, [g[0] for g in got]), [g[0] for g in got] == [label[a["tier"]] for a in ag])
    # the agents' finding counts agents of the table's outer tiers (those
    # that stay significant after the correction)
    tiers = [g[0] for g in got]
    m = re.search(r'data-kind="agents"[^>]*><b>Agents</b>: (\d+) clearly above and (\d+) clearly below', page)
    above, below = tiers.count("Clearly above"), tiers.count("Clearly below")
    check("%s agents finding: %s vs %d/%d" % (metric, m and m.groups(), above, below),
          (m is None and above + below == 0) or
          (m is not None and 0 < int(m.group(1)) + int(m.group(2)) and int(m.group(1)) <= above and int(m.group(2)) <= below))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
# charts of the metric, none of NPS; the hostile channel name stays in the data
for c in csat_trend csat_segments_1 csat_agents; do
    for e in svg png; do [ -s "$T/csat/charts/$c.$e" ] || fail "no $c.$e"; done
done
ls "$T/csat/charts" | grep -q '^nps_\|^score_dist\|^agents_caterpillar' && fail "NPS charts drawn in a CSAT report"
grep -l "system(" "$T/csat/charts/"*.gp && fail "a label reached a gnuplot script"
grep -q "system(" "$T/csat/charts/csat_segments_1.dat" || fail "the hostile label is not in the chart's data"
find "$T" -name PWNED | grep -q . && fail "gnuplot ran a command from data"
grep -q '<section id="nps-only"><h2>Not in this CSAT report</h2>' "$T/csat/plain.html" || fail "no line on the NPS-only analyses"
# without gnuplot: the page and tables still written, no chart shown
PATH=/nonexistent "$CX" --db "$T/db" report --metric ces --month 2026-10 --out "$T/nog" > /dev/null 2> "$T/err" ||
    fail "report --metric ces without gnuplot"
grep -q "gnuplot not found" "$T/err" || fail "no warning without gnuplot"
grep -q '<section id="trend"><h2>CES by month' "$T/nog/index.html" || fail "no CES trend without gnuplot"
grep -q '<img' "$T/nog/index.html" && fail "a chart shown that was not drawn"
# the NPS report of the same store: its own sections, no metric ones
"$CX" --db "$T/db" --quiet report --month 2026-10 --by channel --out "$T/nps" > /dev/null || fail "report"
grep -q '<section id="csat-ces">' "$T/nps/index.html" || fail "NPS report without its CSAT/CES section"
grep -q '<section id="nps-only">\|csat_trend' "$T/nps/index.html" && fail "metric sections in the NPS report"
echo "report --metric csat|ces: summary findings, trend, segments and agents on the metric (scipy), NPS-only analyses named, metric charts"
