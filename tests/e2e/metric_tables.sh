# csat.csv, csat_change.csv, ces.csv and ces_change.csv on a small mixed
# file: every number within 1e-6 of scipy 1.10.1 (Wilson intervals from
# binomtest().proportion_ci(method='wilson'), the pooled two-proportion z
# with 2*norm.sf, t.interval for the CES means, clipped here to the 1-7
# scale as ces.csv clips them, ttest_ind(equal_var=False) for Welch); the
# same tables from the store and from stats --input; the NPS row is not in
# them and they hold nothing else.
. tests/e2e/lib.inc
cat > "$T/m.csv" <<'CSV'
response_id,responded_at,score,metric,channel
a1,2026-09-02T10:00:00Z,5,csat,phone
a2,2026-09-03T10:00:00Z,4,csat,chat
a3,2026-09-04T10:00:00Z,2,csat,phone
a4,2026-09-05T10:00:00Z,good,csat,chat
a5,2026-10-02T10:00:00Z,bad,csat,phone
a6,2026-10-03T10:00:00Z,3,csat,phone
a7,2026-10-04T10:00:00Z,5,csat,chat
e1,2026-09-02T10:00:00Z,2,ces,phone
e2,2026-09-03T10:00:00Z,3,ces,phone
e3,2026-09-04T10:00:00Z,5,ces,chat
e4,2026-10-02T10:00:00Z,6,ces,phone
e5,2026-10-03T10:00:00Z,7,ces,chat
e6,2026-10-04T10:00:00Z,4,ces,chat
n1,2026-10-04T10:00:00Z,9,nps,chat
CSV
"$CX" --quiet stats --input "$T/m.csv" --by channel --out "$T/a" || fail "stats --input"
"$CX" --db "$T/db" --quiet import responses "$T/m.csv" || fail "import"
"$CX" --db "$T/db" --quiet stats --by channel --out "$T/b" || fail "stats"
for f in csat csat_change ces ces_change; do
    cmp -s "$T/a/$f.csv" "$T/b/$f.csv" || fail "$f.csv: store and --input differ"
done
$PY - "$T/a" <<'PY' || fail "tables differ from scipy"
import csv, math, sys
d = sys.argv[1]
E = float("nan")
want = {
 "csat": [
  ("2026-09", "all", "all", 4, 3, 0.75, 0.300641842582402, 0.954412739190299),
  ("2026-09", "channel", "chat", 2, 2, 1, 0.342380227506653, 1),
  ("2026-09", "channel", "phone", 2, 1, 0.5, 0.0945312057342307, 0.905468794265769),
  ("2026-10", "all", "all", 3, 1, 1 / 3, 0.0614919447203963, 0.792340399197952),
  ("2026-10", "channel", "chat", 1, 1, 1, 0.206549314377237, 1),
  ("2026-10", "channel", "phone", 2, 0, 0, 0, 0.657619772493347),
  ("all", "all", "all", 7, 4, 4 / 7, 0.250458364527657, 0.84178014474853),
  ("all", "channel", "chat", 3, 3, 1, 0.438502968244955, 1),
  ("all", "channel", "phone", 4, 1, 0.25, 0.0455872608097005, 0.699358157417598)],
 "csat_change": [
  ("all", "all", "2026-10", "2026-09", 1 / 3, 0.75, 1 / 3 - 0.75, -1.10239637961025, 0.270289384801699, "false"),
  ("channel", "chat", "2026-10", "2026-09", 1, 1, 0, E, E, ""),
  ("channel", "phone", "2026-10", "2026-09", 0, 0.5, -0.5, -1.15470053837925, 0.248213078989924, "false")],
 "ces": [
  ("2026-09", "all", "all", 3, 10 / 3, 1.52752523165195, -0.461249700406131, 7.1279163670728),
  ("2026-09", "channel", "chat", 1, 5, E, E, E),
  ("2026-09", "channel", "phone", 2, 2.5, 0.707106781186548, -3.85310236821605, 8.85310236821605),
  ("2026-10", "all", "all", 3, 17 / 3, 1.52752523165195, 1.8720836329272, 9.46124970040613),
  ("2026-10", "channel", "chat", 2, 5.5, 2.12132034355964, -13.5593071046481, 24.5593071046481),
  ("2026-10", "channel", "phone", 1, 6, E, E, E),
  ("all", "all", "all", 6, 4.5, 1.87082869338697, 2.53668569227239, 6.46331430772761),
  ("all", "channel", "chat", 3, 16 / 3, 1.52752523165195, 1.53875029959387, 9.1279163670728),
  ("all", "channel", "phone", 3, 11 / 3, 2.08166599946613, -1.50447834607007, 8.8378116794034)],
 "ces_change": [
  ("all", "all", "2026-10", "2026-09", 17 / 3, 10 / 3, 7 / 3, 1.87082869338697, 4, 0.134701935318967, "false"),
  ("channel", "chat", "2026-10", "2026-09", 5.5, 5, 0.5, E, E, E, ""),
  ("channel", "phone", "2026-10", "2026-09", 6, 2.5, 3.5, E, E, E, "")],
}
# ces.csv clips scipy's t interval to the scale of the scores (1 to 7)
want["ces"] = [r[:6] + (r[6] if math.isnan(r[6]) else max(1, r[6]),
                        r[7] if math.isnan(r[7]) else min(7, r[7])) for r in want["ces"]]
bad = []
for name, rows in want.items():
    got = list(csv.reader(open("%s/%s.csv" % (d, name), newline="")))[1:]
    if len(got) != len(rows):
        bad.append("%s: %d rows, want %d" % (name, len(got), len(rows)))
        continue
    for g, w in zip(got, rows):
        for a, b in zip(g, w):
            if isinstance(b, str):
                ok = a == b
            elif isinstance(b, float) and math.isnan(b):
                ok = a == ""
            else:
                ok = a != "" and abs(float(a) - b) < 1e-6
            if not ok:
                bad.append("%s: %s vs %s" % (name, g, w))
                break
if bad:
    print("\n".join(bad[:5]))
    sys.exit(1)
PY
# Agents on CSAT and CES: the files, and the terminal leaderboard (a store
# with NPS answers defaults to NPS; --metric picks another).
sqlite3 "$T/db" "UPDATE responses SET agent_id = CASE WHEN response_id IN ('a1','a2','e1','e2') THEN 'A1' ELSE 'A2' END" ||
    fail "set agents"
"$CX" --db "$T/db" --quiet stats --out "$T/c" --min-responses 1 || fail "stats with agents"
grep -q '^A1,2,2,1,' "$T/c/agents_csat.csv" || fail "agents_csat.csv: $(cat "$T/c/agents_csat.csv")"
[ "$(grep -c . "$T/c/agents_ces.csv")" -eq 3 ] || fail "agents_ces.csv: $(cat "$T/c/agents_ces.csv")"
"$CX" --db "$T/db" agents --metric csat --min-responses 1 > "$T/ag" || fail "agents --metric csat"
grep -q '^agents on CSAT: 2 (2 ranked)' "$T/ag" || fail "agents --metric csat: $(cat "$T/ag")"
"$CX" --db "$T/db" agents > "$T/ag" || fail "agents"
grep -q '^agents on' "$T/ag" && fail "the default leaderboard of a store with NPS answers is not NPS"
"$CX" --db "$T/db" agents --metric stars 2>/dev/null
[ $? -eq 2 ] || fail "--metric stars: want exit 2"
# The report shows them for its month; a report of NPS answers only does not.
"$CX" --db "$T/db" --quiet report --month 2026-10 --out "$T/r" || fail "report"
grep -q '<section id="csat-ces"><h2>CSAT and CES, October 2026</h2>' "$T/r/index.html" || fail "no CSAT/CES section"
# (cells carry their column's name for narrow screens: data-label, left out here)
sed 's/ data-label="[^"]*"//g' "$T/r/index.html" > "$T/r/plain.html"
grep -q '<tr><td>all</td><td>3</td><td>33.3%</td><td>6.1 to 79.2</td></tr>' "$T/r/plain.html" || fail "CSAT row"
grep -q '<tr><td>all</td><td>3</td><td>5.67</td><td>1.87 to 7.00</td></tr>' "$T/r/plain.html" || fail "CES row"
head -1 "$T/m.csv" > "$T/n.csv"; grep ',nps,' "$T/m.csv" >> "$T/n.csv"
"$CX" --db "$T/ndb" --quiet import responses "$T/n.csv" || fail "import nps only"
"$CX" --db "$T/ndb" --quiet report --out "$T/rn" || fail "report nps only"
grep -q 'csat-ces' "$T/rn/index.html" && fail "a CSAT/CES section without such answers"
# Agents' CES intervals are clipped to 1-7 as well: A (7,7,7,3) and B
# (1,1,1,5) with prior strength 0.1 have MSW = 24/6 = 4, so A's normal
# interval (24 + 0.1*4)/4.1 +- 1.96*sqrt(4/4.1) = 5.951 +- 1.936 passes 7
# and B's 2.049 +- 1.936 passes 1 (by hand).
cat > "$T/ag.csv" <<'CSV'
response_id,responded_at,score,metric,agent_id
x1,2026-10-01T10:00:00Z,7,ces,A
x2,2026-10-01T10:00:00Z,7,ces,A
x3,2026-10-01T10:00:00Z,7,ces,A
x4,2026-10-01T10:00:00Z,3,ces,A
y1,2026-10-01T10:00:00Z,1,ces,B
y2,2026-10-01T10:00:00Z,1,ces,B
y3,2026-10-01T10:00:00Z,1,ces,B
y4,2026-10-01T10:00:00Z,5,ces,B
CSV
"$CX" --quiet stats --input "$T/ag.csv" --metric ces --min-responses 1 --prior-strength 0.1 --out "$T/agc" ||
    fail "stats on agents' CES"
$PY - "$T/agc/agents_ces.csv" <<'PY' || fail "agents' CES intervals: $(cat "$T/agc/agents_ces.csv")"
import csv, math, sys
rows = {r["agent_id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
z, sd = 1.959963984540054, math.sqrt(4 / 4.1)
a, b = (24 + 0.4) / 4.1, (8 + 0.4) / 4.1
want = {"A": (a, a - z * sd, 7.0), "B": (b, 1.0, b + z * sd)}
for k, (m, lo, hi) in want.items():
    got = [float(rows[k][c]) for c in ("mean_shrunk", "ci_low", "ci_high")]
    if any(abs(g - w) > 1e-6 for g, w in zip(got, (m, lo, hi))):
        print(k, got, (m, lo, hi)); sys.exit(1)
PY
echo "CSAT and CES tables equal scipy to 1e-6 (Wilson, two-proportion z, t intervals, Welch); store and --input agree"
