# Two `cxpulse ingest` at once into one PostgreSQL store, two sources each:
# both succeed, the store equals the vendors' data (no duplicate, nothing
# lost), and the checkpoints left are the last ones: a third run only
# re-reads the overlap.
. tests/e2e/ingest_lib.inc
start_pg
pg_ingest() { "$CX" --config "$T/cfg.json" --db "$PG" --quiet ingest --allow-duplicate-ids "$@"; }
pg_same() {
    "$CX" --db "$PG" export responses > "$T/export.csv" || fail "export"
    mock_get /_mock/truth > "$T/truth.json" || fail "truth"
    $PY "$CMP" "$T/export.csv" "$T/truth.json" "$1"
}

start_mock --generate 3000 --slow-ms 2
PER_PAGE=50
write_config "$(source_json delighted)" "$(source_json qualtrics)"
pg_ingest > "$T/a.log" 2>&1 & a=$!
pg_ingest > "$T/b.log" 2>&1 & b=$!
wait $a; ra=$?
wait $b; rb=$?
[ $ra -eq 0 ] || fail "first ingest: exit $ra: $(cat "$T/a.log")"
[ $rb -eq 0 ] || fail "second ingest: exit $rb: $(cat "$T/b.log")"
for v in delighted qualtrics; do pg_same $v > "$T/cmp" || fail "$(cat "$T/cmp")"; done
n=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/export.csv")
[ "$n" -eq 6000 ] || fail "$n responses stored, want 6000"
before=$(mock_stat requests)
pg_ingest --source delighted || fail "third ingest"
after=$(mock_stat requests)
[ $((after - before)) -le 3 ] || fail "third ingest made $((after - before)) requests: the checkpoint went back"
for v in delighted qualtrics; do pg_same $v > "$T/cmp" || fail "after a third run: $(cat "$T/cmp")"; done
echo "two concurrent ingests into one PostgreSQL store: 2 x 3000 rows, no duplicate; a third run made $((after - before)) requests"
