# Number and noun agree on the page and in the text outputs: a month with
# one response says "from 1 response", one imported row "1 row", one
# response with complete spend windows "1 response used", 1-day windows
# "1 day", a CSAT report of one answer "1 CSAT response analysed" and "Of
# 1 ranked agent", a theme
# of one comment "1 comment mentions", a store that replaced one duplicate
# "1 already held", and no count of 1 is followed by a plural
# anywhere (report, stats, agents, verbatims, status, import messages).
. tests/e2e/lib.inc
cat >"$T/r.csv" <<'CSV'
response_id,responded_at,score,channel,customer_id,agent_id,comment
a1,2026-08-10T10:00:00Z,9,web,c1,ag1,great help thanks
a2,2026-08-11T10:00:00Z,3,phone,c2,ag1,slow and rude
a3,2026-08-12T10:00:00Z,7,web,c1,ag2,
b1,2026-09-10T10:00:00Z,10,web,c1,ag1,very good
CSV
printf 'response_id,responded_at,score,channel\nz1,2026-07-01T00:00:00Z,8,web\n' >"$T/one.csv"
"$CX" --db "$T/db" import responses "$T/one.csv" 2>"$T/import.err" || fail "import one row"
grep -q ': 1 row: 1 new,' "$T/import.err" || fail "one imported row: $(cat "$T/import.err")"
"$CX" --db "$T/db" --quiet import responses "$T/r.csv" || fail "import"
"$CX" --db "$T/db" report --month 2026-09 --by channel --out "$T/out" >"$T/report.out" 2>"$T/report.err" ||
    fail "report: $(cat "$T/report.err")"
grep -q 'NPS in September 2026 from 1 response;' "$T/out/index.html" ||
    fail "the summary does not say 'from 1 response'"
"$CX" --db "$T/db" stats --month 2026-09 --out "$T/st" 2>"$T/stats.err" >/dev/null || fail "stats"
"$CX" --db "$T/db" agents --month 2026-09 >"$T/agents.out" 2>&1 || fail "agents"
# One response with complete 1-day spend windows (a1: spend on the days
# before and after it; a2 and a3 have no spend the day after).
printf 'customer_id,date,amount\nc1,2026-08-09,5.00\nc1,2026-08-11,7.50\nc2,2026-08-11,3.00\n' >"$T/s.csv"
"$CX" --db "$T/db" --quiet import spend "$T/s.csv" || fail "import spend"
"$CX" --db "$T/db" report --month 2026-08 --spend-window 1 --out "$T/sp" >/dev/null 2>"$T/sp.err" ||
    fail "report --spend-window 1: $(cat "$T/sp.err")"
sed 's/<[^>]*>//g' "$T/sp/index.html" >"$T/sp.txt"
grep -q 'Spend in the 1 day after each response minus the 1 day before .*\. 1 response used;' "$T/sp.txt" ||
    fail "spend section: $(grep 'Spend in the' "$T/sp.txt")"
grep -q 'Spend is compared over 1 day before and after' "$T/sp.txt" || fail "spend windows of 1 day"
# one comment of a theme; one CSAT answer in a CSAT report
"$CX" --db "$T/db" verbatims --theme rude >/dev/null 2>"$T/verb.err" || fail "verbatims --theme"
grep -q "verbatims: 1 comment mentions 'rude'" "$T/verb.err" || fail "verbatims --theme: $(cat "$T/verb.err")"
printf 'response_id,responded_at,score,metric,channel,agent_id,handle_time_s\nq1,2026-09-03T10:00:00Z,4,csat,web,ag1,300\n' >"$T/c.csv"
"$CX" --db "$T/db" --quiet import responses "$T/c.csv" || fail "import CSAT"
"$CX" --db "$T/db" report --metric csat --month 2026-09 --min-responses 1 --out "$T/cs" >/dev/null 2>"$T/cs.err" ||
    fail "report --metric csat: $(cat "$T/cs.err")"
grep -q 'cxpulse &middot; 1 CSAT response analysed' "$T/cs/index.html" ||
    fail "CSAT header: $(grep -o 'cxpulse &middot; [^&]*' "$T/cs/index.html")"
grep -q '<p>Of 1 ranked agent, ' "$T/cs/index.html" || fail "CSAT agents: $(grep -o '<p>Of [^,]*' "$T/cs/index.html")"
# status of a store that read one row twice: 2 rows, 1 unchanged
"$CX" --db "$T/db1" --quiet import responses "$T/one.csv" || fail "import one row"
"$CX" --db "$T/db1" --quiet import responses "$T/one.csv" || fail "import one row again"
"$CX" --db "$T/db1" status >"$T/status.out" 2>&1 || fail "status"
grep -q '^imports: *2 rows read, 0 replaced, 1 unchanged, 0 older ignored; last ' "$T/status.out" || fail "status: $(cat "$T/status.out")"
plural='(responses|rows|agents|comments|customers|segments|calls|months|years|mentions|detractors|promoters|comparisons|days|duplicates|rejects)'
if sed 's/<[^>]*>/ /g' "$T/out/index.html" "$T/report.err" "$T/stats.err" "$T/agents.out" "$T/import.err" \
        "$T/sp/index.html" "$T/cs/index.html" "$T/verb.err" "$T/status.out" |
    grep -E "(^|[^0-9.,])1 (routine |MoT |more )?$plural\b"; then
    fail "a count of 1 with a plural noun"
fi
echo "plurals: one response, one row, one day, one CSAT response, one comment, one row held; no '1 responses' in the page or the text outputs"
