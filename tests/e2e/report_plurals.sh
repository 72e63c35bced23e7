# Number and noun agree on the page and in the text outputs: a month with
# one response says "from 1 response", one imported row "1 row", and no
# count of 1 is followed by a plural anywhere (report, stats, agents,
# import messages).
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
plural='(responses|rows|agents|comments|customers|segments|calls|months|years|mentions|detractors|promoters|comparisons)'
if sed 's/<[^>]*>/ /g' "$T/out/index.html" "$T/report.err" "$T/stats.err" "$T/agents.out" "$T/import.err" |
    grep -E "(^|[^0-9.,])1 (routine |MoT |more )?$plural\b"; then
    fail "a count of 1 with a plural noun"
fi
echo "plurals: one response, one row, no '1 responses' in the page or the text outputs"
