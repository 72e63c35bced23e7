# ingest says what it did: one line per source (fetched, new, replaced,
# unchanged, rejected, retries, time), a failed source says so; --verbose
# adds one line per retry (status, reason, wait), as many as the summary
# counts; --quiet prints nothing; no progress is drawn when stderr is not a
# terminal.
. tests/e2e/ingest_lib.inc
start_mock --generate 400 --fail-rate 0.25 --seed 7
write_config "$(source_json delighted)" \
    '{"name":"down","vendor":"surveymonkey","base_url":"http://127.0.0.1:1","token_env":"CX_TEST_TOKEN","survey_id":"1","max_attempts":3}'
"$CX" --config "$T/cfg.json" --db "$T/s.db" --verbose ingest > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "one source down: exit $rc, want 3"
[ -s "$T/out" ] && fail "ingest wrote to stdout: $(head -3 "$T/out")"
grep -q "$(printf '\r')" "$T/err" && fail "progress drawn on a non-terminal"
line=$(grep '^cxpulse: ingest: delighted: [0-9]* fetched' "$T/err") || fail "no summary for delighted: $(cat "$T/err")"
echo "$line" | grep -Eq '^cxpulse: ingest: delighted: 400 fetched: 400 new, 0 replaced, 0 unchanged, 0 rejected; (([02-9]|[0-9]{2,}) retries|1 retry); [0-9]+\.[0-9] s$' ||
    fail "summary: $line"
retries=$(echo "$line" | sed 's/.*; \([0-9]*\) retr\(y\|ies\);.*/\1/')
[ "$retries" -gt 0 ] || fail "the mock's faults gave no retries"
shown=$(grep -Ec '^cxpulse: ingest: delighted: GET /v1/survey_responses\.json: HTTP 5[0-9][0-9][^;]*; retrying in [0-9]+\.[0-9]{2} s$' "$T/err")
[ "$shown" -eq "$retries" ] || fail "--verbose showed $shown retries, the summary counts $retries: $(grep retrying "$T/err" | head -3)"
grep -q '^cxpulse: ingest: down: GET /v3/surveys/1/details: no answer: .*; retrying in ' "$T/err" || fail "no retry line for the dead source"
grep -Eq '^cxpulse: ingest: down: failed after [0-9]+\.[0-9] s \(0 fetched, 2 retries\)$' "$T/err" || fail "no failure summary: $(grep down "$T/err")"
# a second run: everything unchanged; without --verbose no retry lines
"$CX" --config "$T/cfg.json" --db "$T/s.db" ingest --full --source delighted 2> "$T/err2" || fail "second run: $(cat "$T/err2")"
grep -q retrying "$T/err2" && fail "retry lines without --verbose"
grep -Eq '^cxpulse: ingest: delighted: 400 fetched: 0 new, 0 replaced, 400 unchanged, 0 rejected; [0-9]+ retr(y|ies); ' "$T/err2" ||
    fail "second run summary: $(cat "$T/err2")"
# the import log keeps the runs' rows apart: read again unchanged, not older
"$CX" --config "$T/cfg.json" --db "$T/s.db" status > "$T/status" || fail "status"
grep -q '^imports: *800 rows read, 0 replaced, 400 unchanged, 0 older ignored; last ' "$T/status" ||
    fail "status after the second run: $(grep imports "$T/status")"
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet ingest --source delighted 2> "$T/err3" || fail "quiet run"
[ -s "$T/err3" ] && fail "--quiet printed: $(cat "$T/err3")"
echo "ingest summary per source ($retries retries, each shown with --verbose); a failed source says so; --quiet silent"
