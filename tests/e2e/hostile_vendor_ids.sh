# No vendor record is lost without being counted.  Numeric ids above 2^53
# (which a double cannot tell apart) are kept as sent, each its own row; two
# copies of one id in a page keep the LAST one, as a CSV import does, and
# the run counts the replaced copy; when the first copy is rejected, the
# valid second copy still lands; a record with 500 properties is rejected
# whole with a message naming the limit (64 attributes, core/model.h) and
# kept in the rejects, while one with 60 lands with all 60.  Across pages
# (per_page 2): a rejected copy on one page does not make the valid copy of
# the same id and second on the next page "already seen", and a second run
# that reads that second again does not reject the same record twice.
. tests/e2e/ingest_lib.inc
$PY - "$T/records.json" <<'PYEOF'
import json, sys
t = 1767225600
def rec(i, score, dt=0, props=None):
    r = '{"id":%s,"created_at":%d,"updated_at":%d,"score":%s' % (i, t + dt, t + dt, score)
    if props is not None:
        r += ',"person_properties":' + json.dumps(props)
    return r + '}'
recs = [rec('9007199254740993', 9, 1), rec('9007199254740992', 8, 1), rec('9007199254740995', 7, 1),
        rec('12345678901234567890', 6, 1), rec('-9007199254740993', 5, 1),
        rec('"d1"', 11, 2), rec('"d1"', 9, 2),
        rec('"d2"', 3, 3), rec('"d2"', 10, 3),
        rec('"p500"', 9, 4, {'Prop %d' % k: 'v%d' % k for k in range(500)}),
        rec('"p60"', 9, 4, {'Prop %d' % k: 'v%d' % k for k in range(60)})]
open(sys.argv[1], 'w').write('[' + ','.join(recs) + ']')
PYEOF
serve_records "$T/records.json"
"$CX" --config "$T/h.json" --db "$T/h.db" --quiet ingest 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "ingest: exit $rc, want 3 (two records rejected): $(head -c 300 "$T/err")"
"$CX" --db "$T/h.db" export responses > "$T/export.csv" || fail "export"
"$CX" --db "$T/h.db" export rejects > "$T/rejects.csv" || fail "export rejects"
$PY - "$T/export.csv" "$T/rejects.csv" "$T/h.db" <<'PYEOF' || fail "records lost or miscounted"
import csv, sqlite3, sys
rows = {r['response_id']: r for r in csv.DictReader(open(sys.argv[1], newline=''))}
want = ['-9007199254740993', '12345678901234567890', '9007199254740992', '9007199254740993',
        '9007199254740995', 'd1', 'd2', 'p60']
assert sorted(rows) == want, sorted(rows)
assert rows['d1']['score'] == '9', rows['d1']                    # the valid second copy
assert rows['d2']['score'] == '10', rows['d2']                   # the last copy
assert rows['9007199254740993']['score'] == '9' and rows['9007199254740992']['score'] == '8'
assert sum(1 for k, v in rows['p60'].items() if k.startswith('prop_') and v) == 60
rej = list(csv.DictReader(open(sys.argv[2], newline='')))
reasons = sorted(r['reason'] for r in rej)
assert len(rej) == 2, reasons
assert any('more than 64 attributes' in r for r in reasons), reasons
assert any('"p500"' in r['raw'] and '"Prop 499"' in r['raw'] for r in rej), 'p500 not kept whole'
db = sqlite3.connect(sys.argv[3])
got = db.execute('SELECT rows, inserted, replaced, ignored, rejected FROM imports').fetchall()
assert got == [(11, 8, 1, 0, 2)], got                            # d2's first copy replaced
PYEOF

# across pages (per_page 3): page 1 = [a, x (score 11), y (score 11)], page 2
# (updated_since = their second) = [x (score 9)]; then a second run whose
# vendor serves y again unchanged and a new z
serve() {
    start_pyserver "$CXPULSE_ROOT/tests/e2e/hostile_server.py" "$T/canary.log" --records "$1"
    printf '{"sources":[{"name":"h","vendor":"delighted","base_url":"%s/pages","token_env":"CX_TEST_TOKEN","per_page":3}]}\n' \
        "$B" > "$T/p.json"
}
X11='{"id":"x","created_at":1767225700,"score":11}' Y11='{"id":"y","created_at":1767225700,"score":11}'
printf '[[{"id":"a","created_at":1767225600,"score":9},%s,%s],[{"id":"x","created_at":1767225700,"score":9}]]' \
    "$X11" "$Y11" > "$T/pages1.json"
printf '[[%s,{"id":"z","created_at":1767225800,"score":10}]]' "$Y11" > "$T/pages2.json"
serve "$T/pages1.json"
"$CX" --config "$T/p.json" --db "$T/p.db" --quiet ingest 2> "$T/perr"
rc=$?
[ $rc -eq 3 ] || fail "paged ingest: exit $rc, want 3 (records rejected): $(head -c 300 "$T/perr")"
got=$("$CX" --db "$T/p.db" export responses | sed 1d | cut -d, -f2,5 | sort | tr '\n' ' ')
[ "$got" = "a,9 x,9 " ] || fail "paged ingest stored '$got', want a,9 x,9 (the valid copy of x on page 2)"
serve "$T/pages2.json"
"$CX" --config "$T/p.json" --db "$T/p.db" --quiet ingest 2> "$T/perr2" || fail "second run: $(head -c 300 "$T/perr2")"
got=$("$CX" --db "$T/p.db" export responses | sed 1d | cut -d, -f2,5 | sort | tr '\n' ' ')
[ "$got" = "a,9 x,9 z,10 " ] || fail "second run stored '$got', want a,9 x,9 z,10"
n=$("$CX" --db "$T/p.db" export rejects | sed 1d | grep -c .)
[ "$n" -eq 2 ] || fail "$n rejects after the second run, want 2 (y read again is not rejected twice)"

echo "ids above 2^53 kept apart, last copy of an id kept (replaced counted), a valid copy after a rejected one lands (same page or next), 500 properties rejected whole naming the limit"
