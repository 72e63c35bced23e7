# Rows inserted and edited BETWEEN page requests (--mutate), small pages and
# many responses sharing one second.  While the vendor changes, a sync may
# leave the newest changes for the next run, but nothing it passed may be
# lost, stale or duplicated: every row the vendor updated before the
# checkpoint is stored exactly.  The next run, started once the data has
# stopped changing (as the next cron run would be), leaves the store equal
# to the vendor's set.
. tests/e2e/ingest_lib.inc
PER_PAGE=20
start_mock --seed 5 --mutate
rounds() { mock_get /_mock/truth | $PY -c 'import json,sys; print(json.load(sys.stdin)["mutations"])'; }
for v in $VENDORS; do
    mock_post "/_mock/faults?mutate=1" || fail "mock faults"
    write_config "$(source_json $v)"
    before=$(rounds)
    ingest || fail "$v ingest"
    # Qualtrics exports a snapshot: the rows change at its second
    # (continuation) export, which then holds them.
    [ $v = qualtrics ] && { ingest || fail "$v second ingest"; }
    during=$(( $(rounds) - before ))
    [ "$during" -ge 1 ] || fail "$v: only $during rounds of changes during the sync"
    if [ $v != qualtrics ]; then
        same_as_vendor $v "$(checkpoint_of $v)" >"$T/cmp" || fail "while changing: $(cat "$T/cmp")"
    fi
    mock_post "/_mock/faults?mutate=0" || fail "mock faults"
    ingest || fail "$v ingest after the changes"
    same_as_vendor $v >"$T/cmp" || fail "after the changes: $(cat "$T/cmp")"
done
m=$(rounds)
[ "$m" -gt 10 ] || fail "only $m mutation rounds happened"
echo "3 vendors exact after $m rounds of inserts and edits between pages"
