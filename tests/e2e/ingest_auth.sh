# A wrong token fails at once (no retries) with the vendor's own message and
# a hint naming the environment variable; an unset variable is named too.
. tests/e2e/ingest_lib.inc
start_mock
for v in $VENDORS; do
    write_config "$(source_json $v)"
    CX_TEST_TOKEN=wrong-token "$CX" --config "$T/cfg.json" --db "$T/store.db" ingest 2>"$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$v: exit code $rc, want 1"
    grep -q 'HTTP 401' "$T/err" || fail "$v: no HTTP 401 in: $(cat "$T/err")"
    grep -q 'check the token in \$CX_TEST_TOKEN' "$T/err" || fail "$v: no hint in: $(cat "$T/err")"
    case $v in
    delighted) want='Invalid API key' ;;
    qualtrics) want='Invalid or missing API token' ;;
    surveymonkey) want='authorization token provided was invalid' ;;
    esac
    grep -q "$want" "$T/err" || fail "$v: vendor message missing in: $(cat "$T/err")"
    grep -q 'gave up' "$T/err" && fail "$v: a 401 was retried"
done
msg=$(head -1 "$T/err")
env -u CX_TEST_TOKEN "$CX" --config "$T/cfg.json" --db "$T/store.db" ingest 2>"$T/err"
[ $? -eq 1 ] || fail "unset token variable: exit code"
grep -q 'CX_TEST_TOKEN' "$T/err" || fail "unset variable not named: $(cat "$T/err")"
echo "401 explained: $msg"
