# Hostile strings in EVERY text field -- response ids, sources, comments,
# customer, agent, channel, product, interaction type, response and customer
# attributes, attribute (column) names used with --by, spend customer ids,
# rejected rows -- come out inert everywhere: report and stats --input CSVs
# (formula cells start with '), index.html (no live tag, handler or URL),
# charts (no data in gnuplot scripts), the terminal (`agents`, `status`: no
# control characters), export --spreadsheet-safe; and exactly as written in
# the plain export (it round-trips byte for byte).  No command runs (canary),
# the store keeps its tables.  (injection.sh covers comments and two
# dimensions; this covers the rest.)
. tests/e2e/lib.inc
canary="$T/canary"
export PYTHONPATH="$CXPULSE_ROOT/tests/e2e"
$PY - "$T" "$canary" <<'PYEOF' || fail "generating data"
import csv, sys, json
from hostile_lib import hostile
T, canary = sys.argv[1], sys.argv[2]
H = hostile(canary)
evil_col = '<b onmouseover=alert(1)>'
with open(T + '/in.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['source', 'response_id', 'responded_at', 'score', 'comment', 'customer_id', 'agent_id',
                'channel', 'product', 'interaction_type', 'handle_time_s', 'moments', 'region', evil_col])
    i = 0
    for month in ('2026-01', '2026-02', '2026-03'):
        for k, h in enumerate(H):
            for s in (10, 9, 3, 7):
                i += 1
                w.writerow([h, '%s#%d' % (h, i), '%s-%02dT10:00:00Z' % (month, 1 + (i % 27)), s, h,
                            'c%d' % (k % 7) if s == 7 else h, h, h, h, h, 60 + i, '1;5;%d' % (1 + i % 5), h, h])
    # rejected rows carry hostile text too
    for k, h in enumerate(H):
        w.writerow([h, 'bad%d' % k, '2026-02-03', 11, h, h, h, h, h, h, '', '', h, h])
with open(T + '/customers.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['customer_id', 'annual_value', 'tier'])
    for k, h in enumerate(H):
        w.writerow([h, 100 + k, h])
    for k in range(7):
        w.writerow(['c%d' % k, 50, H[k]])
with open(T + '/spend.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['customer_id', 'date', 'amount'])
    for h in H:
        for d in ('2025-10-01', '2026-02-01', '2026-06-01'):
            w.writerow([h, d, 10])
json.dump({"mot_types": H[:6] + ['<script>alert(1)</script>']}, open(T + '/cfg.json', 'w'))
PYEOF
C="$CX --config $T/cfg.json --db $T/db --quiet"
$C import responses "$T/in.csv" 2>/dev/null; [ $? -eq 3 ] || fail "import responses (want 3: some rows rejected)"
$C import customers "$T/customers.csv" || fail "import customers"
$C import spend "$T/spend.csv" || fail "import spend"
BY="channel,product,interaction_type,region,agent_id,source,customer_id,tier,<b onmouseover=alert(1)>"
$C report --by "$BY" --out "$T/out" > /dev/null || fail "report"
# tier is a customer attribute: the stream has no customers, so not there
$C stats --input "$T/in.csv" --by "${BY/,tier,/,}" --out "$T/in_out" 2>/dev/null; [ $? -eq 3 ] || fail "stats --input"
$C agents > "$T/agents.txt" || fail "agents"
"$CX" --db "$T/db" status > "$T/status.txt" || fail "status"
$C export responses --spreadsheet-safe > "$T/safe.csv" || fail "export --spreadsheet-safe"
$C export rejects > "$T/rejects_export.csv" || fail "export rejects"
$C export responses > "$T/exact.csv" || fail "export"
"$CX" --db "$T/db2" --quiet import responses "$T/exact.csv" || fail "re-import of the export"
"$CX" --db "$T/db2" export responses > "$T/exact2.csv" || fail "second export"
cmp -s "$T/exact.csv" "$T/exact2.csv" || fail "export -> import -> export changed bytes"
[ -e "$canary" ] && fail "a data string ran as a command"
[ "$(sqlite3 "$T/db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
for t in responses customers spend rejects; do
    sqlite3 "$T/db" "SELECT count(*) FROM $t" > /dev/null 2>&1 || fail "table $t gone"
done
$PY - "$T" "$canary" <<'PYEOF' || fail "outputs not inert"
import csv, sys
from hostile_lib import hostile, check_csv_dir, check_html, check_charts, live_cell
T, canary = sys.argv[1], sys.argv[2]
H = hostile(canary)
import glob
assert glob.glob(T + '/out/charts/*.gp') and glob.glob(T + '/out/charts/*.dat'), 'no charts drawn (gnuplot?)'
for out in (T + '/out', T + '/in_out'):
    cells = check_csv_dir(out)
    check_charts(out, canary)
    seg = {r['segment'] for r in csv.DictReader(open(out + '/nps.csv', newline='', encoding='utf-8'))}
    for h in H:
        want = "'" + h if live_cell(h) or h[:1] in "=+-@\t\r'" else h
        assert want in seg, (out, 'segment missing', want)
    dims = {r['dimension'] for r in csv.DictReader(open(out + '/nps.csv', newline='', encoding='utf-8'))}
    assert '<b onmouseover=alert(1)>' in dims, dims
    agents = {r['agent_id'] for r in csv.DictReader(open(out + '/agents.csv', newline='', encoding='utf-8'))}
    assert "'=cmd|' /C calc'!A0" in agents and '<script>alert(1)</script>' in agents, sorted(agents)[:5]
    rej = list(csv.DictReader(open(out + '/rejects.csv', newline='', encoding='utf-8')))
    assert len(rej) == len(H), len(rej)
html, text = check_html(T + '/out/index.html')
for h in ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</td><td onclick=alert(1)>x',
          '<b onmouseover=alert(1)>', '&lt;b&gt;'):
    assert h in text, ('not shown as text', h)
assert '&amp;lt;b&amp;gt;' in html          # escaped once, shown as written
# the terminal: no escape sequence or other control byte from data
for name in ('agents.txt', 'status.txt'):
    raw = open(T + '/' + name, 'rb').read()
    bad = [b for b in raw if b < 0x20 and b not in (0x0a,)]
    assert not bad, (name, 'control bytes', bad[:5])
# spreadsheet-safe export: every cell inert; the plain export is exact
for row in csv.reader(open(T + '/safe.csv', newline='', encoding='utf-8')):
    for cell in row:
        assert not live_cell(cell), ('safe export', cell)
exact = list(csv.DictReader(open(T + '/exact.csv', newline='', encoding='utf-8')))
assert {r['comment'] for r in exact} == set(H), 'plain export is not exact'
assert {r['source'] for r in exact} == set(H)
PYEOF
echo "27 hostile strings in 13 text fields, 9 --by dimensions and rejects: inert in CSV, HTML, charts, terminal; export exact"
