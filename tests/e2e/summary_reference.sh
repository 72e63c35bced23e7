# The summary's findings are exactly the significant comparisons of the
# report month, the largest effects first (an independent Python
# reference, summary_reference.py), on the demo's data; and a month with
# nothing significant says so and lists no finding.
. tests/e2e/lib.inc
mot=card_lost,fraud_alert,flight_cancelled,outage
cat >"$T/cfg.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"], "moment_scale": [1, 5]}
JSON
C() { "$CX" --config "$T/cfg.json" --db "$T/db" --quiet "$@"; }
"$GEN" --rows 20000 --seed 42 --out "$T/d" >/dev/null || fail "gen-sample"
for k in responses customers spend; do C import "$k" "$T/d/$k.csv" || fail "import $k"; done
C export responses >"$T/export.csv" || fail "export"
C report --by channel,region,tier --out "$T/out" >/dev/null || fail "report"
$PY tests/e2e/summary_reference.py "$T/export.csv" "$T/d/customers.csv" "$mot" channel,region,tier \
    "$T/out" || fail "findings differ from the reference"
grep -q '<ol id="findings">' "$T/out/index.html" || fail "no findings list"
# Twelve months of responses with the same mix: nothing significant
$PY - "$T/flat.csv" <<'PYEOF'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('response_id,responded_at,score,channel\n')
    for m in range(1, 13):
        for i in range(20):
            f.write('f%d_%d,2025-%02d-10T10:00:00Z,%d,%s\n' % (m, i, m, [10, 9, 8, 3][i % 4], 'ab'[i % 2]))
PYEOF
"$CX" --db "$T/flat.db" --quiet import responses "$T/flat.csv" || fail "import flat"
"$CX" --db "$T/flat.db" --quiet report --by channel --out "$T/flat" >/dev/null || fail "report flat"
grep -q 'No statistically significant difference this month' "$T/flat/index.html" ||
    fail "a month with nothing significant should say so"
grep -q 'data-kind=' "$T/flat/index.html" && fail "a finding that is not significant"
grep -q 'no clear trend' "$T/flat/index.html" || fail "a flat year should have no clear trend"
echo "summary: the findings are exactly the largest significant comparisons; none when nothing is significant"
