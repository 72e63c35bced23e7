#!/bin/bash
# cx_edge.sh — the CX tables on a small hand-made data set full of edge
# cases, against the independent Python implementation (cx_reference.py):
# segments of 1–3 responses (empty r, CI and t), a formula-like and a
# quoted segment name (escaped in CSV, HTML-escaped in the page), time-zone
# offsets and unix seconds, a replaced response, windows cut by the spend
# data's ends, a response without customer, a customer without a customers
# row, a customer without annual_value (T1 from spend) and one without
# anything.  Also checks the report's CX sections.
export LC_ALL=C TZ=UTC
: "${CXPULSE_ROOT:=$PWD}"
. tests/e2e/lib.inc
set -eo pipefail
tmp=$T
mkdir "$tmp/data"

cat >"$tmp/data/responses.csv" <<'CSV'
response_id,responded_at,updated_at,score,comment,customer_id,agent_id,channel,product,interaction_type,handle_time_s,moments,region
e01,2026-02-15T10:00:00Z,,9,,c1,a1,"=HYPERLINK(""x"")",cards,outage,100,4;5;5,north
e02,2026-02-20T23:30:00-02:00,,3,,c1,a1,"a,b ""q""",cards,outage,,1;2;1,north
e03,2026-03-01T00:00:00+01:00,,7,,c2,a2,chat,loans,outage,,,south
e04,2026-03-05T12:00:00Z,2026-03-05T12:00:00Z,4,,c2,a2,chat,loans,billing,,3,south
e05,1772755200,,0,,c3,a3,chat,cards,billing,,2;2;2;2,
e06,2026-01-10T00:00:00Z,,8,,c3,,phone,cards,outage,,5;1;3,east
e07,2026-06-15T00:00:00Z,,6,,c5,,phone,cards,billing,,4;4,east
e08,2026-03-10T00:00:00Z,,9,,,a1,phone,cards,outage,,5;5,east
e09,2026-03-12T00:00:00Z,,2,,c9,a1,phone,cards,billing,,1;1;2,<b>east</b>
e10,2026-03-12T00:00:00Z,2026-03-13T00:00:00Z,9,,c1,,phone,cards,billing,,3;4,west
e11,2026-03-12T00:00:00Z,2026-03-12T00:00:00Z,1,,c1,,phone,cards,billing,,1,west
e04,2026-03-05T12:00:00Z,2026-03-06T08:00:00Z,10,edited,c2,a2,chat,loans,billing,,3,south
CSV
cat >"$tmp/data/customers.csv" <<'CSV'
customer_id,annual_value,tier,country
c1,1200,gold,DE
c2,,silver,FR
c3,300,=bad,US
c4,,silver,US
c5,50,gold,
CSV
cat >"$tmp/data/spend.csv" <<'CSV'
customer_id,date,amount
c1,2026-01-01,10.00
c1,2026-02-10,5.50
c1,2026-02-20,4.50
c1,2026-03-01,7
c1,2026-03-15,20
c1,2026-06-30,1
c2,2026-02-05,3.25
c2,2026-03-10,3.25
c9,2026-02-15,100
CSV
cat >"$tmp/cfg.json" <<'JSON'
{"mot_types": ["outage"], "moment_scale": [1, 5], "clv_years": 2, "hic_top": 0.5,
 "spend_window_days": 30}
JSON
db="$tmp/cx.db"
for kind in responses customers spend; do
    "$CX" --quiet --db "$db" --config "$tmp/cfg.json" import "$kind" "$tmp/data/$kind.csv"
done
by=channel,tier,region
# The tables over every month (stats without --month); the page covers one
# month (March, with its trailing window for peak-end and spend).
"$CX" --quiet --db "$db" --config "$tmp/cfg.json" stats --by "$by" --out "$tmp/out" >/dev/null
"$CX" --quiet --db "$db" --config "$tmp/cfg.json" report --month 2026-03 --by "$by" \
    --out "$tmp/page" >/dev/null
line=$($PY tests/e2e/cx_reference.py compare --data "$tmp/data" --config "$tmp/cfg.json" \
       --out "$tmp/out" --by "$by") || { echo "$line"; exit 1; }

grep -q "^channel,\"'=HYPERLINK" "$tmp/out/peak_end.csv" || fail "formula segment not escaped in peak_end.csv"
grep -q '^channel,"a,b ""q""",' "$tmp/out/peak_end.csv" || fail "quoted segment not quoted in peak_end.csv"
[ "$(wc -l <"$tmp/out/spend_tests.csv")" -eq 3 ] || fail "spend_tests.csv must have 2 rows"
html="$tmp/page/index.html"
for id in peak-end moments-of-truth spend-impact high-impact-customers; do
    grep -q "<section id=\"$id\">" "$html" || fail "no section $id in index.html"
done
grep -q '&lt;b&gt;east&lt;/b&gt;' "$html" || fail "segment not HTML-escaped"
# (the summary writes the segment "east" in bold itself: <b>east</b> alone is ours)
! grep -q '<td[^>]*><b>east</b>' "$html" || fail "raw markup from data in index.html"
! grep -q '<b><b>east</b>' "$html" || fail "raw markup from data in the summary"
grep -q 'The top 50% of customers bring' "$html" || fail "HIC lead sentence missing"
echo "cx edge: ${line#ok cx reference: }; escaping and report sections ok"
