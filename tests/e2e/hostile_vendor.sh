# A vendor API that attacks its client: JSON nested 100,000 deep, a
# 300 MiB body, a 401 that repeats the token, a redirect and a SurveyMonkey
# links.next to another host (which must never see a request, let alone the
# token) all end in a clear error, exit 1, no crash, bounded memory, and the
# token in no output.  Then hostile strings in every field the vendors send
# (through scripts/mock-vendor, all three vendors) come out of ingest +
# report inert, and exactly as sent in the export.
. tests/e2e/ingest_lib.inc
export PYTHONPATH="$CXPULSE_ROOT/tests/e2e"
start_pyserver "$CXPULSE_ROOT/tests/e2e/hostile_server.py" "$T/canary.log"
H=$B

# attack VENDOR MODE WANT: ingest from MODE fails (exit 1) naming WANT.
attack() {
    v=$1 mode=$2 want=$3
    sid=""; [ "$v" = surveymonkey ] && sid=',"survey_id":"123"'; [ "$v" = qualtrics ] && sid=',"survey_id":"SV_1"'
    printf '{"sources":[{"name":"h","vendor":"%s","base_url":"%s/%s","token_env":"CX_TEST_TOKEN"%s}]}\n' \
        "$v" "$H" "$mode" "$sid" > "$T/h.json"
    # 700 MB, SAN_SCALE times more on the sanitizer build (lib.inc): its
    # allocator keeps freed blocks a while, and the body grows by doubling
    RSS_MB=$((700 * SAN_SCALE)) $PY - "$CX" --config "$T/h.json" --db "$T/h.db" ingest --max-attempts 2 \
        --deadline 60 > "$T/h.out" 2> "$T/h.err" <<'PYEOF'
import os, resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
sys.stderr.write('rss %d MB\n' % rss)
sys.exit(rc if rss < int(os.environ['RSS_MB']) else 99)
PYEOF
    rc=$?
    [ $rc -eq 1 ] || fail "$v/$mode: exit $rc, want 1: $(head -c 400 "$T/h.err")"
    grep -q -- "$want" "$T/h.err" || fail "$v/$mode: message lacks '$want': $(head -c 400 "$T/h.err")"
    grep -qF -- "$TOKEN" "$T/h.err" "$T/h.out" && fail "$v/$mode: token shown"
    cat "$T/h.err" >> "$T/all.err"
}
attack delighted deep "unparsable JSON"
attack delighted huge "larger than"
for v in $VENDORS; do
    attack $v echo "HTTP 401"
    grep -q '\*\*\*' "$T/h.err" || fail "$v: the echoed token was not masked: $(head -c 300 "$T/h.err")"
    attack $v redirect "HTTP 302"
done
attack surveymonkey next "another host"
[ -e "$T/canary.log" ] && fail "a request reached another host: $(head -5 "$T/canary.log")"
grep -rlaF -- "$TOKEN" "$T" | grep -v -e '/mock.err$' -e '/srv.err$' && fail "token written to a file"

# hostile strings in every field the vendors send
$PY - "$T" <<'PYEOF' || fail "generating vendor data"
import csv, sys
from hostile_lib import hostile
T = sys.argv[1]
H = hostile(T + '/canary2')
with open(T + '/hostile.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['response_id', 'responded_at', 'updated_at', 'score', 'comment', 'customer_id', 'agent_id',
                'channel', 'product', 'interaction_type', 'handle_time_s', 'moments', 'region'])
    i = 0
    for h in H:
        for s in (10, 9, 3, 7):
            i += 1
            w.writerow([str(100000 + i), 1767225600 + 3600 * i, '', s, h, h, h, h, h, h, 30 + i, '2;4', h])
PYEOF
stop_mock # the hostile server
start_mock --data "$T/hostile.csv"
write_config "$(source_json delighted)" "$(source_json qualtrics)" "$(source_json surveymonkey)"
ingest || fail "ingest of hostile vendor data"
"$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet report --by channel,product,region,agent_id,interaction_type \
    --out "$T/out" > /dev/null || fail "report"
"$CX" --db "$T/store.db" export responses > "$T/export.csv" || fail "export"
[ -e "$T/canary2" ] && fail "a vendor string ran as a command"
$PY - "$T" <<'PYEOF' || fail "vendor data not inert or not exact"
import csv, sys
from hostile_lib import hostile, check_csv_dir, check_html, check_charts
T = sys.argv[1]
H = set(hostile(T + '/canary2'))
check_csv_dir(T + '/out')
check_charts(T + '/out', T + '/canary2')
html, text = check_html(T + '/out/index.html')
assert '<script>alert(1)</script>' in text
rows = list(csv.DictReader(open(T + '/export.csv', newline='', encoding='utf-8')))
assert len(rows) == 3 * 4 * len(H), len(rows)
for field in ('comment', 'customer_id', 'agent_id', 'channel', 'product', 'interaction_type', 'region'):
    got = {r[field] for r in rows}
    # a vendor's \r\n or lone \r inside JSON text is data too; all must arrive as sent
    assert got == H, (field, sorted(H - got)[:3], sorted(got - H)[:3])
PYEOF
echo "deep, huge, token-echoing, redirecting and off-host vendors refused cleanly; hostile vendor text inert and exact"
