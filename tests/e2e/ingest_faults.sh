# Each vendor through 429 storms (Retry-After in seconds or as an HTTP
# date; none from SurveyMonkey), 500/503, connection resets and truncated
# bodies, about 20% of requests in all: the store still equals the vendor.
. tests/e2e/ingest_lib.inc
PER_PAGE=25
start_mock --seed 7 --429-rate 0.05 --fail-rate 0.05 --reset-rate 0.05 --truncate-rate 0.05
for v in $VENDORS; do
    write_config "$(source_json $v)"
    ingest --max-attempts 12 2>"$T/err" || fail "$v ingest: $(cat "$T/err")"
    same_as_vendor $v >"$T/cmp" || fail "$(cat "$T/cmp")"
done
req=$(mock_stat requests)
faults=0
for k in 429 500 503 reset truncate; do faults=$((faults + $(mock_stat $k))); done
[ "$faults" -gt 0 ] || fail "no fault was injected"
echo "3 vendors equal the mock through $faults injected faults in $req requests"
