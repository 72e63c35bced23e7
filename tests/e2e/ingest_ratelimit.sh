# SurveyMonkey's rate-limit headers are respected BEFORE a 429 happens: with
# 6 requests allowed per 2-second window, a sync of 10 pages waits for the
# window resets and is never refused.
. tests/e2e/ingest_lib.inc
PER_PAGE=20
start_mock --sm-limit 6 --sm-minute-s 2 --generate 200
write_config "$(source_json surveymonkey)"
t0=$(date +%s)
ingest || fail "ingest"
t1=$(date +%s)
same_as_vendor surveymonkey >"$T/cmp" || fail "$(cat "$T/cmp")"
refused=$(mock_stat sm_rate_limited)
req=$(mock_stat requests)
[ "$refused" -eq 0 ] || fail "$refused requests were refused with 429"
[ $((t1 - t0)) -ge 2 ] || fail "no wait for the window reset ($req requests in $((t1 - t0)) s)"
echo "$req SurveyMonkey requests in $((t1 - t0)) s, none refused by the rate limit"
