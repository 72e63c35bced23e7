# Each vendor, no faults: the store equals the vendor's data; a second run
# reads only the overlap second and changes nothing; numbers sent as
# strings and null comments are accepted.
. tests/e2e/ingest_lib.inc
for opts in "" "--numbers-as-strings --null-comments"; do
    start_mock $opts
    for v in $VENDORS; do
        write_config "$(source_json $v)"
        ingest || fail "$v ingest ($opts)"
        same_as_vendor $v >"$T/cmp" || fail "$(cat "$T/cmp") ($opts)"
        ingest || fail "$v second ingest"
        same_as_vendor $v >"$T/cmp" || fail "after a second run: $(cat "$T/cmp")"
    done
    n=$("$CX" --db "$T/store.db" export rejects | wc -l)
    [ "$n" -le 1 ] || fail "clean data gave rejects ($opts)"
    stop_mock
    rm -f "$T"/store.db*
done
# Throughput through the mock with no faults (Delighted, per_page 100).
start_mock --generate 5000
PER_PAGE=100; write_config "$(source_json delighted)"
t0=$(date +%s.%N); ingest || fail "timed ingest"; t1=$(date +%s.%N)
req=$(mock_stat requests)
rate=$(echo "$req $t0 $t1" | awk '{printf "%.0f", $1/($3-$2)}')
echo "3 vendors equal the mock (plain, strings/nulls); $req requests for 5000 rows at $rate req/s"
