# Genesys: a survey completed days after its conversation is picked up by
# the next incremental sync thanks to the look-back window (lookback_days,
# default 7); with lookback_days 0 the same sync misses it.  An access token
# that dies long before its announced expires_in is renewed on the 401; bad
# client credentials fail with a message that names the variable and shows
# no secret.
. tests/e2e/ingest_lib.inc
export CX_TEST_CLIENT_ID=cx-client
start_mock --generate 300 --genesys-token-ttl 1 --genesys-expires-in 86399
cfg() {   # cfg [EXTRA_KEYS]
    printf '{"sources":[{"name":"genesys","vendor":"genesys","base_url":"%s","token_env":"CX_TEST_TOKEN","client_id_env":"CX_TEST_CLIENT_ID","login_url":"%s","per_page":25%s}]}\n' \
        "$BASE" "$BASE" "${1:-}" > "$T/cfg.json"
}
has() { sqlite3 "$T/store.db" "SELECT count(*) FROM responses WHERE response_id = '$1'"; }
cfg
mock_post "/_mock/faults?slow_ms=10" || fail "slow"
ingest || fail "first sync"
mock_post "/_mock/faults?slow_ms=0" || fail "fast"
# The agent's handle time (tHandle of the agent's session) is kept: the mock
# reports it for the rows that have one, 60..1800 s.
ht=$(sqlite3 "$T/store.db" "SELECT count(*), min(handle_time_s), max(handle_time_s) FROM responses WHERE handle_time_s IS NOT NULL")
case "$ht" in 2[0-9][0-9]\|*) ;; *) fail "handle times: $ht" ;; esac
$PY -c 'import sys; n, lo, hi = sys.argv[1].split("|"); sys.exit(not (float(lo) >= 60 and float(hi) <= 1800))' "$ht" ||
    fail "handle times out of the mock's range: $ht"
logins=$(mock_get /_mock/stats | $PY -c 'import json,sys; print(json.load(sys.stdin)["logins"])')
[ "$logins" -ge 3 ] || fail "tokens were not renewed after 401 ($logins logins in a 3 s sync)"
# 100100: its survey is pending and its conversation began a day or two ago.
[ "$(has 100100)" = 0 ] || fail "a pending survey was stored"
sleep 1.2    # every token the mock issued so far has died, but cxpulse was told a day
mock_post "/_mock/mutate?edit=100100" || fail "complete the survey"
ingest || fail "incremental sync"
[ "$(has 100100)" = 1 ] || fail "the late survey was missed with the default look-back"
same_as_vendor_g() {
    "$CX" --db "$T/store.db" export responses > "$T/export.csv" || fail "export"
    mock_get "/_mock/truth?vendor=genesys" > "$T/truth.json" || fail "truth"
    $PY "$CMP" "$T/export.csv" "$T/truth.json" genesys
}
same_as_vendor_g >"$T/cmp" || fail "$(cat "$T/cmp")"

# The same late completion with no look-back: missed by the next sync.
rm -f "$T/store.db"
cfg ',"lookback_days":0'
ingest || fail "first sync (no look-back)"
mock_post "/_mock/mutate?edit=100177" || fail "complete another survey"   # 100177: pending, conversation a day or more back
ingest || fail "incremental sync (no look-back)"
[ "$(has 100177)" = 0 ] || fail "lookback_days 0 still read a conversation from before the window (the test proves nothing)"

# Bad client secret: one clear line, exit 1, no secret in it.
rm -f "$T/store.db"
cfg
CX_TEST_TOKEN=wrong-secret-$$ "$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet ingest 2>"$T/err"
[ $? -eq 1 ] || fail "bad secret: exit code, want 1"
grep -q 'oauth/token: HTTP 401' "$T/err" || fail "bad secret: $(cat "$T/err")"
grep -q 'CX_TEST_TOKEN' "$T/err" || fail "no hint naming the variable: $(cat "$T/err")"
grep -q "wrong-secret-$$" "$T/err" && fail "the secret was printed"
unset CX_TEST_CLIENT_ID
"$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet ingest 2>"$T/err"
grep -q 'CX_TEST_CLIENT_ID (client_id_env) is not set' "$T/err" || fail "missing client id: $(cat "$T/err")"
echo "late survey read through the 7-day look-back (missed without it); $logins logins in one sync as tokens died; bad credentials explained"
