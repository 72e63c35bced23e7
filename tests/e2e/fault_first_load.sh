# A writer that opens the store while another process loads it empty
# (through a rollback journal: docs/performance.md, "Import") waits for
# that load, as writers wait for each other, instead of failing at once
# with "locked" (SQLite refuses its switch to WAL without waiting then).
# Both imports land, the store is sound, and the next opening puts it
# back in WAL.
. tests/e2e/lib.inc
"$GEN" --rows 150000 --seed 5 --out "$T/d" --responses-only >/dev/null 2>&1 || fail "gen-sample"
head -1 "$T/d/responses.csv" > "$T/header.csv"
head -6 "$T/d/responses.csv" > "$T/small.csv"
count() { sqlite3 "$T/db" "SELECT count(*) FROM responses WHERE source = '$1'"; }
met=0 i=0
while [ $met -lt 2 ] && [ $i -lt 6 ]; do
    i=$((i + 1))
    rm -f "$T/db"*
    "$CX" --db "$T/db" --quiet import responses "$T/header.csv" || fail "empty store"
    "$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" 2> "$T/big.err" &
    big=$!
    # wait until the load holds its rollback journal (at most 5 s)
    n=0
    while [ ! -e "$T/db-journal" ] && [ -d /proc/$big ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
    [ -e "$T/db-journal" ] && met=$((met + 1))
    "$CX" --db "$T/db" --quiet import responses "$T/small.csv" --source other --allow-duplicate-ids 2> "$T/small.err" ||
        fail "a writer opened during the first load failed: $(head -c 300 "$T/small.err")"
    wait $big || fail "the first load failed: $(head -c 300 "$T/big.err")"
    [ "$(count csv)" = 150000 ] || fail "the first load holds $(count csv) rows, want 150000"
    [ "$(count other)" = 5 ] || fail "the writer beside it holds $(count other) rows, want 5"
    [ "$(sqlite3 "$T/db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
done
[ $met -gt 0 ] || fail "no writer met the first load while it ran ($i tries)"
"$CX" --db "$T/db" --quiet import responses "$T/header.csv" || fail "an opening after"
[ "$(sqlite3 "$T/db" 'PRAGMA journal_mode')" = wal ] || fail "the store stayed out of WAL after an opening"
echo "a writer opened during the first load of an empty store waited for it ($met of $i met it): both imports whole, store sound, WAL again"
