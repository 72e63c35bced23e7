# Two sources, one of them broken (unknown survey id): the good one is
# synced, the bad one reported with a hint, exit code 3; sync status kept.
. tests/e2e/ingest_lib.inc
start_mock
write_config "$(source_json delighted good)" "$(source_json surveymonkey bad 999)"
"$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet ingest 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || fail "exit code $rc, want 3 ($(cat "$T/err"))"
grep -q 'ingest: bad: .*HTTP 404.*check survey_id' "$T/err" || fail "no 404 hint: $(cat "$T/err")"
same_as_vendor good >"$T/cmp" || fail "good source: $(cat "$T/cmp")"
"$CX" --config "$T/cfg.json" --db "$T/store.db" status > "$T/status" || fail "status"
grep -q 'bad' "$T/status" || fail "status does not list the failed source"
# Both broken: exit code 1.
write_config "$(source_json qualtrics bad1 SV_nope)" "$(source_json surveymonkey bad2 999)"
"$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet ingest 2>/dev/null
rc=$?
[ $rc -eq 1 ] || fail "all sources failed: exit code $rc, want 1"
echo "one of two sources failing gives exit code 3 and a hint"
