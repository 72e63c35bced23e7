# Two `cxpulse ingest` at once on one SQLite store (and an import running
# beside them): each either waits for the other or refuses clearly; the
# store ends equal to the vendors' data -- no duplicate, nothing lost -- and
# sound; the checkpoint left is the newest, so a third run only re-reads
# the overlap.  (pg_ingest_concurrent.sh does the same on PostgreSQL.)
. tests/e2e/ingest_lib.inc
start_mock --generate 2000 --slow-ms 3
PER_PAGE=50
write_config "$(source_json delighted)" "$(source_json surveymonkey)"
"$CXPULSE_ROOT/scripts/gen-sample" --rows 20000 --seed 3 --out "$T/d" --responses-only >/dev/null 2>&1 || fail "gen-sample"
ingest > "$T/a.log" 2>&1 & a=$!
ingest > "$T/b.log" 2>&1 & b=$!
"$CX" --db "$T/store.db" --quiet import responses "$T/d/responses.csv" > "$T/c.log" 2>&1 & c=$!
wait $a; ra=$?
wait $b; rb=$?
wait $c; rc=$?
for x in "a $ra" "b $rb"; do
    set -- $x
    if [ "$2" -ne 0 ]; then
        grep -qi "another\|in progress\|locked\|busy" "$T/$1.log" || fail "ingest $1: exit $2 without a clear reason: $(head -c 300 "$T/$1.log")"
    fi
done
[ $ra -eq 0 ] || [ $rb -eq 0 ] || fail "both ingests failed: $(head -c 200 "$T/a.log") / $(head -c 200 "$T/b.log")"
[ $rc -eq 0 ] || fail "the import beside them failed (exit $rc): $(head -c 300 "$T/c.log")"
[ "$(sqlite3 "$T/store.db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
for v in delighted surveymonkey; do same_as_vendor $v > "$T/cmp" || fail "$v: $(cat "$T/cmp")"; done
dups=$(sqlite3 "$T/store.db" 'SELECT count(*) FROM (SELECT source, response_id FROM responses GROUP BY 1, 2 HAVING count(*) > 1)')
[ "$dups" = 0 ] || fail "$dups duplicate responses"
n=$(sqlite3 "$T/store.db" "SELECT count(*) FROM responses WHERE source IN ('delighted', 'surveymonkey')")
[ "$n" -eq 4000 ] || fail "$n vendor responses stored, want 4000"
before=$(mock_stat requests)
ingest --source delighted || fail "third ingest"
after=$(mock_stat requests)
[ $((after - before)) -le 3 ] || fail "third ingest made $((after - before)) requests: the checkpoint went back"
echo "two ingests and an import at once on one SQLite store: exact, no duplicate, checkpoint kept (third run: $((after - before)) requests)"
