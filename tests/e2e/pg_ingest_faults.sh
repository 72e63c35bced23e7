# Ingest through the mock vendor with faults (429, 500/503, resets,
# truncated bodies) and kill -9 at random moments, once into SQLite and once
# into PostgreSQL, then `run` (the rest of the sync, stats, report) on each:
# the two stores hold exactly the vendor's set, and the exports, every CSV
# of stats and report, and the report's HTML (its run history aside) are
# byte-identical.
. tests/e2e/ingest_lib.inc
start_pg
PER_PAGE=20
start_mock --seed 11 --generate 700 --slow-ms 15 \
    --429-rate 0.05 --fail-rate 0.05 --reset-rate 0.03 --truncate-rate 0.03
write_config "$(source_json delighted)" "$(source_json qualtrics)" "$(source_json surveymonkey)"

kills=0
run_backend() {   # name db
    b=$1 db=$2 o="$T/$1"
    mkdir -p "$o"
    for i in 1 2 3; do
        "$CX" --config "$T/cfg.json" --db "$db" --quiet ingest --allow-duplicate-ids --max-attempts 12 2>/dev/null &
        pid=$!
        sleep "0.$(( (RANDOM % 8) + 1 ))"
        kill -9 $pid 2>/dev/null && kills=$((kills + 1))
        wait $pid 2>/dev/null
    done
    # the rest of the sync, stats and the report: `run`, as cron would
    "$CX" --config "$T/cfg.json" --db "$db" --quiet run --allow-duplicate-ids --max-attempts 12 --by channel \
        --out "$o/report" >/dev/null 2>"$o/err" || fail "$b: run: $(cat "$o/err")"
    "$CX" --db "$db" export responses > "$o/export.csv" || fail "$b: export"
    for v in $VENDORS; do
        $PY "$CMP" "$o/export.csv" "$T/truth.json" $v > "$o/cmp" || fail "$b: $(cat "$o/cmp")"
    done
    "$CX" --db "$db" --quiet stats --by channel,product --out "$o/stats" || fail "$b: stats"
    # The run history differs by design: when each sync ran, and what the
    # killed runs had read (and re-read, replaced or ignored) before they died.
    sed -e 's/generated [0-9T:Z-]*/generated -/' -e 's|<td[^>]*>[0-9-]*T[0-9:]*Z</td>|<td>-</td>|g' \
        -e '/Rows read by imports\|Rows already held, unchanged\|Duplicates replaced by\|Older versions ignored/d' \
        "$o/report/index.html" > "$o/index.html"
}
mock_get /_mock/truth > "$T/truth.json" || fail "truth"
run_backend sqlite "$T/store.db"
run_backend pg "$PG"

n=0
for f in "$T"/sqlite/export.csv "$T"/sqlite/stats/*.csv "$T"/sqlite/report/*.csv "$T"/sqlite/index.html; do
    g="$T/pg/${f#"$T"/sqlite/}"
    [ -f "$g" ] || fail "pg lacks ${f#"$T"/sqlite/}"
    cmp -s "$f" "$g" || { diff "$f" "$g" | head -5; fail "differs: ${f#"$T"/sqlite/}"; }
    n=$((n + 1))
done
[ "$n" -ge 15 ] || fail "only $n files compared"
grep -q '<svg\|<img' "$T/pg/index.html" || fail "the report has no chart"
rows=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/pg/export.csv")
[ "$rows" -eq 2100 ] || fail "want 2100 rows in the store, got $rows"
faults=0
for k in 429 500 503 reset truncate; do faults=$((faults + $(mock_stat $k))); done
[ "$faults" -gt 0 ] || fail "no fault was injected"
echo "sqlite and postgresql: $rows rows equal the vendors through $faults faults and $kills kill -9; $n files byte-identical"
