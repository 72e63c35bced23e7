# kill -9 of a running sync into a PostgreSQL store at random moments,
# several times, then a rerun: the store ends with exactly the vendor's set
# (each page and its checkpoint are one transaction on the server too).
. tests/e2e/ingest_lib.inc
start_pg
PER_PAGE=20
start_mock --seed 9 --slow-ms 25 --generate 600
for v in $VENDORS; do
    write_config "$(source_json $v)"
    for i in 1 2 3 4 5; do
        "$CX" --config "$T/cfg.json" --db "$PG" --quiet ingest --allow-duplicate-ids 2>/dev/null &
        pid=$!
        sleep "0.$(( (RANDOM % 7) + 1 ))"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        [ $((i % 2)) -eq 0 ] && mock_post /_mock/mutate
    done
    "$CX" --config "$T/cfg.json" --db "$PG" --quiet ingest --allow-duplicate-ids || fail "$v resume"
    "$CX" --db "$PG" export responses --source "$v" > "$T/export.csv" || fail "export"
    mock_get /_mock/truth > "$T/truth.json" || fail "truth"
    $PY "$CMP" "$T/export.csv" "$T/truth.json" "$v" > "$T/cmp" || fail "after kill -9: $(cat "$T/cmp")"
done
echo "PostgreSQL: 3 vendors exact after 5 kill -9 each and a rerun"
