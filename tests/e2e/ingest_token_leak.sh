# The token's value appears nowhere: not on stdout or stderr (success,
# faults, 401), not in the store file, not in the report's output dir.
. tests/e2e/ingest_lib.inc
start_mock --429-rate 0.1 --fail-rate 0.1 --reset-rate 0.05 --truncate-rate 0.05
write_config "$(source_json delighted)" "$(source_json qualtrics)" "$(source_json surveymonkey)"
{
    "$CX" --config "$T/cfg.json" --db "$T/store.db" --verbose ingest --max-attempts 12
    "$CX" --config "$T/cfg.json" --db "$T/store.db" status
    "$CX" --config "$T/cfg.json" --db "$T/store.db" sources
    "$CX" --db "$T/store.db" export responses
    "$CX" --db "$T/store.db" export rejects
    "$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet report --out "$T/out"
    mock_post "/_mock/faults?auth_fail=1"
    "$CX" --config "$T/cfg.json" --db "$T/store.db" --verbose ingest
} >"$T/stdout.txt" 2>"$T/stderr.txt"
grep -q 'check the token in \$CX_TEST_TOKEN' "$T/stderr.txt" || fail "the 401 run did not fail as expected"
leaks=$(grep -rlaF -- "$TOKEN" "$T" 2>/dev/null | grep -v '/mock.err$')
[ -z "$leaks" ] || fail "token found in: $leaks"
b64=$(printf '%s:' "$TOKEN" | base64 | tr -d '\n')
leaks=$(grep -rlaF -- "$b64" "$T" 2>/dev/null)
[ -z "$leaks" ] || fail "base64 Basic credentials found in: $leaks"
echo "token value in none of stdout, stderr, store, output dir"
