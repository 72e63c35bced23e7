# The spend windows stream: `stats` from a store with 200k responses and
# 5M spend rows keeps its peak resident memory well under what holding the
# spend rows took (about 240 MB), and under what the per-customer and
# per-response state took before it was compacted and spooled (91 MB;
# docs/performance.md, "Memory of the report"): 52 MB measured on a loaded
# 2-core machine, the first run after the import (it builds the analysis
# cache); the budget is twice that.  The tables themselves are
# checked against independent references by cx_reference and the report
# tests; here only the memory, and that the spend groups were filled.  On
# the sanitizer build it stops at once: ASan's memory is not the program's,
# and spend_parts.sh takes the spend windows in parts there too.
. tests/e2e/lib.inc
plain_memory_only
"$GEN" --rows 200000 --seed 9 --out "$T/d" >/dev/null || fail "gen-sample"
for k in responses customers spend; do
    "$CX" --db "$T/db" --quiet import "$k" "$T/d/$k.csv" || fail "import $k"
done
rm -rf "$T/d"
run_limited 300 104 "$CX" --db "$T/db" --quiet stats --by channel --out "$T/out" ||
    fail "stats over 5M spend rows: over its time or memory budget"
$PY - "$T/out/spend_delta.csv" <<'PYEOF' || fail "spend groups"
import csv, sys
rows = {(r['group_by'], r['group']): int(r['n']) for r in csv.DictReader(open(sys.argv[1], newline=''))}
assert rows[('nps_class', 'promoter')] > 1000 and rows[('nps_class', 'detractor')] > 1000, rows
PYEOF
echo "spend: 5M spend rows summed into their windows within 104 MB"
