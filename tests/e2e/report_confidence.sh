# report --confidence: every output names the level asked for.  The page's
# text and the trend chart's legend both say "80% interval" at 0.8 (the
# legend once said 95% whatever the level).
. tests/e2e/lib.inc
"$GEN" --rows 1500 --seed 5 --out "$T/d" >/dev/null || fail "gen-sample"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" || fail "import"
"$CX" --db "$T/db" --quiet report --confidence 0.8 --out "$T/out" >/dev/null || fail "report"
grep -q '80% interval' "$T/out/index.html" || fail "page does not say 80% interval"
svg="$T/out/charts/nps_trend.svg"
[ -s "$svg" ] || fail "no trend chart"
grep -q '80% interval' "$svg" || fail "trend legend does not say 80% interval"
grep -q '95% interval' "$svg" && fail "trend legend still says 95% interval"
"$CX" --db "$T/db" --quiet report --out "$T/out95" >/dev/null || fail "report at the default level"
grep -q '95% interval' "$T/out95/charts/nps_trend.svg" || fail "default legend does not say 95% interval"
echo "report --confidence 0.8: page and trend legend say 80% interval (default 95%)"
