# kill -9 of a running sync at random moments, several times, then a rerun:
# the store ends with exactly the vendor's set (each page and its checkpoint
# are one transaction).
. tests/e2e/ingest_lib.inc
PER_PAGE=20
start_mock --seed 9 --slow-ms 25 --generate 600
for v in $VENDORS; do
    write_config "$(source_json $v)"
    for i in 1 2 3 4 5; do
        "$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet ingest --allow-duplicate-ids 2>/dev/null &
        pid=$!
        sleep "0.$(( (RANDOM % 7) + 1 ))"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        [ $((i % 2)) -eq 0 ] && mock_post /_mock/mutate
    done
    ingest || fail "$v resume"
    same_as_vendor $v >"$T/cmp" || fail "after kill -9: $(cat "$T/cmp")"
    [ "$(sqlite3 "$T/store.db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
done
echo "3 vendors exact after 5 kill -9 each and a rerun"
