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
echo "edits and late rows picked up by the next run of each vendor"
