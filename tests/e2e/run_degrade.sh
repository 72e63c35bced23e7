# `run` degrades, it does not give up: with its only source down it still
# writes the report from what the store holds, the page says which source
# is stale and since when (its last successful sync), and the exit code is 3.
. tests/e2e/ingest_lib.inc
start_mock --generate 300
src='{"name":"delighted","vendor":"delighted","base_url":"%s","token_env":"CX_TEST_TOKEN","max_attempts":2,"deadline_s":20}'
printf "{\"sources\":[$src]}" "$BASE" > "$T/cfg.json"
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet run --out "$T/out" > /dev/null 2> "$T/err" || fail "run with the source up: $(cat "$T/err")"
grep -q 'Stale data' "$T/out/index.html" && fail "a healthy run's page says stale"
synced=$("$CX" --db "$T/s.db" status | sed -n 's/^source delighted .* last sync \([0-9T:Z-]*\) .*/\1/p')
[ -n "$synced" ] || fail "no last sync in status: $("$CX" --db "$T/s.db" status)"
stop_mock
rm -f "$T/out/index.html"
sleep 1
"$CX" --config "$T/cfg.json" --db "$T/s.db" run --out "$T/out" > "$T/stdout" 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "run with its only source down: exit $rc, want 3 ($(cat "$T/err"))"
[ -s "$T/out/index.html" ] || fail "no report written"
grep -qx "$T/out/index.html" "$T/stdout" || fail "run did not print the report's path"
grep -q '^cxpulse: ingest: delighted: failed after' "$T/err" || fail "the failure is not said: $(cat "$T/err")"
grep -q '^cxpulse: run: no source could be synced; writing the report from the store$' "$T/err" || fail "$(cat "$T/err")"
grep -q "<li>Source <b>delighted</b> is stale since $synced (its last successful sync): responses since then are missing from this report. Its last sync failed: " \
    "$T/out/index.html" || fail "the page does not say the source is stale since $synced"
"$CX" --db "$T/s.db" status | grep -q "last sync $synced " || fail "a failed sync moved the last sync time"
# a source that never synced
printf '{"sources":[{"name":"new","vendor":"delighted","base_url":"http://127.0.0.1:1","token_env":"CX_TEST_TOKEN","max_attempts":1}]}' > "$T/cfg2.json"
"$CX" --config "$T/cfg2.json" --db "$T/s.db" --quiet run --out "$T/out2" > /dev/null 2>&1
[ $? -eq 3 ] || fail "second source down: not 3"
grep -q '<li>Source <b>new</b> has never synced: none of its responses are in this report.' "$T/out2/index.html" ||
    fail "never-synced source not named"
echo "run with its only source down: report written from the store, stale since $synced on the page, exit 3"
