# A vendor that sends the credential back in any form -- the Authorization
# header verbatim, upper-cased, percent-encoded (once or twice), 10 characters of it, base64
# inside a longer base64 text, in a comment, a property name and value, a
# record's id, links.next, a Qualtrics continuation token -- gets it shown,
# stored or written nowhere: not on stderr, in sync_state.last_error,
# `status`/`sources`, the rejects, the export or the report.  A links.next
# with the token is not followed and a checkpoint holding it is not saved,
# each with a clear error.  The leak check (leaks() below) is its own
# implementation of the forms: every 8-character run of the token in any
# case, of its percent-encoding, and of its base64 at each alignment.
. tests/e2e/ingest_lib.inc
start_pyserver "$CXPULSE_ROOT/tests/e2e/hostile_server.py" "$T/canary.log"
H=$B

# leaks PATH...: names the files holding a form of $TOKEN (none: prints nothing).
leaks() {
    $PY - "$TOKEN" "$@" <<'PYEOF'
import base64, os, sys
tok = sys.argv[1].encode()
needles = set()
def runs(s, fold):
    for i in range(len(s) - 7):
        needles.add((s[i:i + 8].lower() if fold else s[i:i + 8], fold))
runs(tok, True)
for fmt, w in ((b'%%%02x', 3), (b'%%25%02x', 5)):
    pct = b''.join(fmt % b for b in tok)
    for i in range(0, len(pct) - 8 * w + 1, w):
        needles.add((pct[i:i + 8 * w], True))
for pad in range(3):
    enc = base64.b64encode(b'\0' * pad + tok)
    lo, hi = (8 * pad + 5) // 6, 8 * (pad + len(tok)) // 6
    runs(enc[lo:hi], False)
for top in sys.argv[2:]:
    for d, _, files in os.walk(top) if os.path.isdir(top) else [(os.path.dirname(top), 0, [os.path.basename(top)])]:
        for f in files:
            p = os.path.join(d, f)
            data = open(p, 'rb').read()
            low = data.lower()
            if any((n in low) if fold else (n in data) for n, fold in needles):
                print(p)
PYEOF
}

# run VENDOR MODE: ingest from MODE into $T/h.db; exit code in $rc, stderr in $T/h.err.
run() {
    v=$1 mode=$2
    sid=""; [ "$v" = surveymonkey ] && sid=',"survey_id":"123"'; [ "$v" = qualtrics ] && sid=',"survey_id":"SV_1"'
    [ "$v" = zendesk ] && sid=',"email":"a@b.example"'
    [ "$v" = formbricks ] && sid=',"survey_id":"s1","nps_question":"q1"'
    printf '{"sources":[{"name":"h","vendor":"%s","base_url":"%s/%s","token_env":"CX_TEST_TOKEN"%s}]}\n' \
        "$v" "$H" "$mode" "$sid" > "$T/h.json"
    rm -f "$T/h.db"
    "$CX" --config "$T/h.json" --db "$T/h.db" --verbose ingest --max-attempts 2 --deadline 60 > "$T/h.out" 2> "$T/h.err"
    rc=$?
    "$CX" --config "$T/h.json" --db "$T/h.db" status > "$T/h.status" 2>&1
    "$CX" --config "$T/h.json" --db "$T/h.db" sources > "$T/h.sources" 2>&1
    last_error=$($PY -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT last_error FROM sync_state").fetchone()[0])' "$T/h.db")
    printf '%s\n' "$last_error" > "$T/h.last_error"
    l=$(leaks "$T/h.err" "$T/h.out" "$T/h.status" "$T/h.sources" "$T/h.last_error" "$T/h.db")
    [ -z "$l" ] || fail "$v/$mode: a form of the token in: $l ($(head -c 300 "$T/h.err"))"
}

for v in $VENDORS zendesk formbricks; do
    for mode in echo-header echo-upper echo-percent echo-percent2 echo-partial echo-b64; do
        run $v $mode
        [ $rc -eq 1 ] || fail "$v/$mode: exit $rc, want 1: $(head -c 300 "$T/h.err")"
        grep -q 'HTTP 401: .*\*\*\*' "$T/h.err" || fail "$v/$mode: the echo was not masked: $(head -c 300 "$T/h.err")"
        grep -q '\*\*\*' "$T/h.last_error" || fail "$v/$mode: last_error not masked: $(cat "$T/h.last_error")"
    done
done

# a retried answer quoting it: the retry lines of --verbose are masked too
run surveymonkey echo-503
[ $rc -eq 1 ] || fail "echo-503: exit $rc, want 1: $(head -c 300 "$T/h.err")"
grep -qi 'retry' "$T/h.err" && grep -q 'HTTP 503: .*\*\*\*' "$T/h.err" ||
    fail "echo-503: no masked retry line: $(head -c 400 "$T/h.err")"

# a progressId that is the token is not put into the next URL's path
run qualtrics reflect-pid
[ $rc -eq 1 ] || fail "reflect-pid: exit $rc, want 1: $(head -c 300 "$T/h.err")"
grep -q "progressId holds the API token" "$T/h.err" || fail "reflect-pid: $(head -c 400 "$T/h.err")"

# the token reflected into records: masked in the data, a record whose id is the token rejected
run delighted reflect
[ $rc -eq 3 ] || fail "reflect: exit $rc, want 3 (one record rejected): $(head -c 300 "$T/h.err")"
"$CX" --db "$T/h.db" export responses > "$T/r.export.csv" || fail "export"
"$CX" --db "$T/h.db" export rejects > "$T/r.rejects.csv" || fail "export rejects"
"$CX" --db "$T/h.db" --quiet report --by agent_id --out "$T/r.out" > /dev/null || fail "report"
l=$(leaks "$T/r.export.csv" "$T/r.rejects.csv" "$T/r.out" "$T/h.db")
[ -z "$l" ] || fail "reflect: a form of the token in: $l"
$PY - "$T/r.export.csv" "$T/r.rejects.csv" <<'PYEOF' || fail "reflect: records not as expected"
import csv, sys
rows = {r['response_id']: r for r in csv.DictReader(open(sys.argv[1], newline=''))}
assert sorted(rows) == ['r1', 'r2', 'r4'], sorted(rows)
assert rows['r1']['comment'] == 'your key is ***, ok?', rows['r1']['comment']
assert rows['r2']['agent_id'] == '***', rows['r2']['agent_id']
assert rows['r4']['comment'] == 'plain'
rej = list(csv.DictReader(open(sys.argv[2], newline='')))
assert len(rej) == 1 and 'holds the API token' in rej[0]['reason'], rej
PYEOF

# links.next with the token in its query: not followed
for vm in surveymonkey/reflect-next zendesk/reflect-zd; do
    run ${vm%/*} ${vm#*/}
    [ $rc -eq 1 ] || fail "$vm: exit $rc, want 1: $(head -c 300 "$T/h.err")"
    grep -q 'links.next holds the API token' "$T/h.err" || fail "$vm: $(head -c 300 "$T/h.err")"
done
l=$(leaks "$T/canary.log.requests")
[ -z "$l" ] || fail "a request carried the token in its URL: $(grep -c . "$T/canary.log.requests") requests"

# a continuation token holding the token: the checkpoint is not saved
run qualtrics reflect-ct
[ $rc -eq 1 ] || fail "reflect-ct: exit $rc, want 1: $(head -c 300 "$T/h.err")"
grep -q 'checkpoint not saved' "$T/h.err" || fail "reflect-ct: $(head -c 300 "$T/h.err")"
cp=$($PY -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT checkpoint FROM sync_state").fetchone()[0])' "$T/h.db")
[ "$cp" = "None" ] || fail "reflect-ct: a checkpoint was saved: $cp"

[ -e "$T/canary.log" ] && fail "a request reached another host"
echo "6 echoed forms x 5 vendors masked in messages, last_error, status; reflected token masked in records, rejected as an id, links.next and checkpoint refused"
