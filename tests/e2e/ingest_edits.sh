# Edits after the first sync (new score, new comment, newer updated_at) and
# late rows created inside already-synced time ranges are picked up by the
# next incremental run of each vendor; nothing is duplicated.
. tests/e2e/ingest_lib.inc
start_mock --seed 3
for v in $VENDORS; do
    write_config "$(source_json $v)"
    ingest || fail "$v first ingest"
    same_as_vendor $v >"$T/cmp" || fail "first run: $(cat "$T/cmp")"
    for _ in 1 2 3; do mock_post /_mock/mutate || fail "mutate"; done
    same_as_vendor $v >"$T/cmp" && fail "$v: the edits changed nothing at the vendor"
    ingest || fail "$v second ingest"
    same_as_vendor $v >"$T/cmp" || fail "after edits: $(cat "$T/cmp")"
done
# A row edited again within the very second a sync has just read it gets the
# same updated_at with new content: the next run must still pick it up.
mock_edit() {   # prints the second the mock stamped
    $PY -c 'import json,sys,urllib.request as u; print(json.load(u.urlopen(u.Request(sys.argv[1], data=b"", method="POST")))["at"])' \
        "$BASE/_mock/mutate?edit=$1"
}
same=0
for v in delighted surveymonkey; do
    write_config "$(source_json $v)"
    for _ in 1 2 3; do
        $PY -c 'import time; time.sleep(1.02 - time.time() % 1)'    # a second has just begun
        a=$(mock_edit 100007) || fail "edit"
        ingest || fail "$v ingest after an edit"
        b=$(mock_edit 100007) || fail "edit"
        [ "$a" = "$b" ] && same=$((same + 1))
        ingest || fail "$v ingest after a second edit"
        same_as_vendor $v >"$T/cmp" || fail "edited twice in second $a/$b: $(cat "$T/cmp")"
    done
done
echo "edits and late rows picked up by the next run of each vendor ($same of 6 double edits within one second)"
