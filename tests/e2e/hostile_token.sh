# The token stays secret when ingest crashes or is inspected: the running
# ingest has core dumps turned off (a crash cannot write its memory, token
# included, to a core file), its command line holds no token, and after a
# SIGSEGV, a SIGABRT, faults and a 401 under --verbose the token is in no
# file, no stdout and no stderr.  (ingest_token_leak.sh covers the
# outputs, store and status; hostile_vendor.sh a vendor that echoes it.)
. tests/e2e/ingest_lib.inc
start_mock --generate 800 --slow-ms 20 --fail-rate 0.1 --429-rate 0.05 --truncate-rate 0.05
PER_PAGE=20
write_config "$(source_json delighted)" "$(source_json qualtrics)" "$(source_json surveymonkey)"
mkdir "$T/run"
cd "$T/run" || fail "cd"
for sig in SEGV ABRT; do
    # The SIGSEGV sent here is the test's, not a bug: ASan must let it through.
    ( ulimit -c unlimited 2>/dev/null; ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" exec "$CX" --config "$T/cfg.json" --db "$T/store.db" --verbose ingest --allow-duplicate-ids \
        --max-attempts 20 ) > "$T/run/out.$sig" 2> "$T/run/err.$sig" &
    pid=$!
    for _ in $(seq 1 100); do [ -r /proc/$pid/limits ] && break; sleep 0.01; done
    sleep 0.5
    if [ -r /proc/$pid/limits ]; then
        grep -q '^Max core file size *0 *0 ' /proc/$pid/limits ||
            fail "core dumps are on in the running ingest: $(grep core /proc/$pid/limits)"
        tr '\0' ' ' < /proc/$pid/cmdline | grep -qF -- "$TOKEN" && fail "token on the command line"
    fi
    kill -$sig $pid 2>/dev/null
    wait $pid 2>/dev/null
done
ls "$T/run" | grep -q '^core' && fail "a core file was written: $(ls "$T/run")"
"$CX" --config "$T/cfg.json" --db "$T/store.db" --verbose ingest --allow-duplicate-ids --max-attempts 20 > "$T/run/out.ok" 2> "$T/run/err.ok" ||
    fail "ingest after the crashes: $(tail -3 "$T/run/err.ok")"
mock_post "/_mock/faults?auth_fail=1"
"$CX" --config "$T/cfg.json" --db "$T/store.db" --verbose ingest --allow-duplicate-ids > "$T/run/out.401" 2> "$T/run/err.401"
[ $? -eq 1 ] || fail "the 401 run did not fail"
leaks=$(grep -rlaF -- "$TOKEN" "$T" 2>/dev/null | grep -v '/mock.err$')
[ -z "$leaks" ] || fail "token found in: $leaks"
echo "no core dump during ingest, no token on the command line, in crash output, logs or files"
