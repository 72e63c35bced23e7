# --metric nps|csat|ces on stats and report (agents has it too): stats
# writes that metric's tables and not the others'; report leads its summary
# with that metric's figure, interval and change; without --metric every
# table is written and NPS leads when the store has NPS answers, else the
# metric it has; a metric with no responses in the month is the usual
# "no responses in M; the store holds A to B" error.  The figures are those
# of tests/e2e/metric_tables.sh, checked there against scipy 1.10.1
# (Wilson interval, pooled two-proportion z, t interval clipped to the
# 1-7 scale, Welch's t-test).
. tests/e2e/lib.inc
cat > "$T/m.csv" <<'CSV'
response_id,responded_at,score,metric,channel,agent_id
a1,2026-09-02T10:00:00Z,5,csat,phone,ann
a2,2026-09-03T10:00:00Z,4,csat,chat,bob
a3,2026-09-04T10:00:00Z,2,csat,phone,ann
a4,2026-09-05T10:00:00Z,good,csat,chat,bob
a5,2026-10-02T10:00:00Z,bad,csat,phone,ann
a6,2026-10-03T10:00:00Z,3,csat,phone,bob
a7,2026-10-04T10:00:00Z,5,csat,chat,ann
e1,2026-09-02T10:00:00Z,2,ces,phone,ann
e2,2026-09-03T10:00:00Z,3,ces,phone,bob
e3,2026-09-04T10:00:00Z,5,ces,chat,ann
e4,2026-10-02T10:00:00Z,6,ces,phone,bob
e5,2026-10-03T10:00:00Z,7,ces,chat,ann
e6,2026-10-04T10:00:00Z,4,ces,chat,bob
n1,2026-10-04T10:00:00Z,9,nps,chat,ann
CSV
"$CX" --db "$T/db" --quiet import responses "$T/m.csv" || fail "import"
files() { (cd "$1" && ls | tr '\n' ' '); }

# stats: every table without --metric; the metric's own with it
"$CX" --db "$T/db" --quiet stats --out "$T/all" || fail "stats"
for f in nps.csv csat.csv ces.csv agents_csat.csv; do [ -f "$T/all/$f" ] || fail "stats: no $f"; done
"$CX" --db "$T/db" stats --metric csat --out "$T/csat" 2> "$T/e" || fail "stats --metric csat: $(cat "$T/e")"
[ "$(files "$T/csat")" = "agents_csat.csv csat.csv csat_change.csv rejects.csv " ] ||
    fail "stats --metric csat wrote: $(files "$T/csat")"
grep -qF "stats: 7 CSAT responses; CSV files in $T/csat/" "$T/e" || fail "stats --metric csat said: $(cat "$T/e")"
for f in csat.csv csat_change.csv agents_csat.csv; do
    cmp -s "$T/all/$f" "$T/csat/$f" || fail "$f differs with --metric csat"
done
"$CX" --quiet stats --input "$T/m.csv" --metric ces --out "$T/ces" || fail "stats --input --metric ces"
[ "$(files "$T/ces")" = "agents_ces.csv ces.csv ces_change.csv rejects.csv " ] ||
    fail "stats --input --metric ces wrote: $(files "$T/ces")"
"$CX" --db "$T/db" --quiet stats --metric nps --out "$T/nps" || fail "stats --metric nps"
ls "$T/nps" | grep -q '^c[se]' && fail "stats --metric nps wrote CSAT or CES tables: $(files "$T/nps")"
cmp -s "$T/all/nps.csv" "$T/nps/nps.csv" || fail "nps.csv differs with --metric nps"

# report: the summary leads with the metric asked for
lead() { sed -n '/<section id="summary">/,/<\/section>/p' "$1/index.html" | grep -m1 -A3 'class="kpi"'; }
"$CX" --db "$T/db" --quiet report --month 2026-10 --metric csat --out "$T/rc" > /dev/null || fail "report --metric csat"
lead "$T/rc" > "$T/k"
grep -qF '<div class="big">33.3%</div><div>CSAT (share satisfied: 4-5 of 5, or good) in October 2026 from 3 responses; 95% interval 6.1 to 79.2%.' "$T/k" ||
    fail "report --metric csat headline: $(cat "$T/k")"
grep -qF 'down 41.7 points from September 2026 (75.0%), not statistically significant (p = 0.27)' "$T/k" ||
    fail "report --metric csat change: $(cat "$T/k")"
grep -q 'NPS in October' "$T/k" && fail "report --metric csat still leads with NPS"
[ -f "$T/rc/nps.csv" ] && fail "report --metric csat wrote nps.csv"
"$CX" --db "$T/db" --quiet report --month 2026-10 --metric ces --out "$T/re" > /dev/null || fail "report --metric ces"
lead "$T/re" > "$T/k"
grep -qF '<div class="big">5.67</div><div>CES (mean effort score, 1-7) in October 2026 from 3 responses; 95% interval 1.87 to 7.00.' "$T/k" ||
    fail "report --metric ces headline: $(cat "$T/k")"
grep -qF 'up 2.33 from September 2026 (3.33), not statistically significant (p = 0.13)' "$T/k" ||
    fail "report --metric ces change: $(cat "$T/k")"
"$CX" --db "$T/db" --quiet run --month 2026-10 --metric csat --out "$T/ru" > /dev/null || fail "run --metric csat"
[ "$(lead "$T/ru")" = "$(lead "$T/rc")" ] || fail "run --metric csat: not the headline of report --metric csat"
"$CX" --db "$T/db" --quiet report --month 2026-10 --out "$T/rn" > /dev/null || fail "report"
lead "$T/rn" | grep -q '</div><div>NPS in October 2026 from 1 response;' || fail "report without --metric: $(lead "$T/rn")"

# a store of CSAT answers only: CSAT leads by default
grep -v ',ces,\|,nps,' "$T/m.csv" > "$T/c.csv"
"$CX" --db "$T/cdb" --quiet import responses "$T/c.csv" || fail "import csat"
"$CX" --db "$T/cdb" --quiet report --month 2026-10 --out "$T/rd" > /dev/null || fail "report on a CSAT store"
lead "$T/rd" | grep -qF '<div class="big">33.3%</div><div>CSAT' || fail "CSAT store, default headline: $(lead "$T/rd")"

# a metric with no responses in the month
"$CX" --db "$T/db" stats --metric ces --month 2026-08 --out "$T/x" 2> "$T/e"
[ $? -eq 1 ] || fail "stats --metric ces --month 2026-08: want exit 1"
[ "$(cat "$T/e")" = "cxpulse: stats: no CES responses in 2026-08; the store holds 2026-09 to 2026-10" ] ||
    fail "no CES in 2026-08 said: $(cat "$T/e")"
"$CX" --db "$T/db" report --metric nps --month 2026-09 --out "$T/x" > /dev/null 2> "$T/e"
[ $? -eq 1 ] || fail "report --metric nps --month 2026-09: want exit 1"
[ "$(cat "$T/e")" = "cxpulse: report: no NPS responses in 2026-09; the store holds 2026-10 only" ] ||
    fail "no NPS in 2026-09 said: $(cat "$T/e")"
"$CX" --db "$T/cdb" agents --metric ces > /dev/null 2> "$T/e"
[ $? -eq 1 ] || fail "agents --metric ces on a CSAT store: want exit 1"
grep -qF "agents: no CES responses in 2026-10; the store holds none" "$T/e" || fail "agents --metric ces said: $(cat "$T/e")"
"$CX" --db "$T/db" stats --metric star 2> "$T/e"
[ $? -eq 2 ] || fail "stats --metric star: want exit 2"
[ "$(cat "$T/e")" = "cxpulse: stats: --metric 'star' is not nps, csat or ces" ] || fail "--metric star said: $(cat "$T/e")"
echo "stats and report take --metric: the metric's tables only, its headline with interval and change; empty metric refused"
