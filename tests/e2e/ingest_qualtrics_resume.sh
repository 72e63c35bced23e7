# A first Qualtrics export killed after some of its chunks leaves a
# checkpoint without a continuation token, whose time is the newest
# *update* seen (an edited response's, say).  The next run must read the
# whole export again: a startDate filter works on the recorded date, so
# starting at that update time would skip every response recorded before
# it that the killed run had not stored yet (they were never read again).
. tests/e2e/ingest_lib.inc
PER_PAGE=20
start_mock --seed 5 --generate 600
write_config "$(source_json qualtrics)"
ingest || fail "first sync"
same_as_vendor qualtrics > "$T/cmp" || fail "first sync: $(cat "$T/cmp")"
# The state a first export killed after its first chunk leaves: the rows
# recorded last are not stored yet, an early row was edited and stored with
# its new time, and the checkpoint holds that time and no token.
first=$(sqlite3 "$T/store.db" "SELECT response_id FROM responses WHERE source = 'qualtrics' ORDER BY responded_at, response_id LIMIT 1")
at=$($PY -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"", method="POST")).read().decode())' "$BASE/_mock/mutate?edit=$first" | $PY -c 'import json,sys; print(json.load(sys.stdin)["at"])') ||
    fail "edit $first"
ingest || fail "sync of the edit"
sqlite3 "$T/store.db" "DELETE FROM responses WHERE source = 'qualtrics' AND response_id IN
    (SELECT response_id FROM responses WHERE source = 'qualtrics' ORDER BY responded_at DESC, response_id DESC LIMIT 100);
    UPDATE sync_state SET checkpoint = '{\"v\":1,\"updated_at\":$at,\"ids\":[]}' WHERE source = 'qualtrics'" ||
    fail "set up the killed state"
[ "$(sqlite3 "$T/store.db" "SELECT count(*) FROM responses WHERE source = 'qualtrics'")" -eq 500 ] || fail "set-up"
ingest || fail "rerun"
same_as_vendor qualtrics > "$T/cmp" || fail "after a first export killed midway: $(cat "$T/cmp")"
echo "Qualtrics: a first export killed midway is read whole again (600 of 600 stored)"
