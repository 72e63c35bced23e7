# The report: index.html with the headline of the latest month equal to
# nps.csv, charts drawn as SVG and PNG; without gnuplot, a warning and the
# CSV and HTML still written.
. tests/e2e/lib.inc
"$GEN" --rows 4000 --seed 3 --out "$T/d" >/dev/null || fail "gen-sample"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" || fail "import"
"$CX" --db "$T/db" --quiet import customers "$T/d/customers.csv" || fail "import customers"
"$CX" --db "$T/db" --quiet import spend "$T/d/spend.csv" || fail "import spend"
path=$("$CX" --db "$T/db" report --by channel,tier --out "$T/out") || fail "report"
[ "$path" = "$T/out/index.html" ] || fail "report printed '$path'"
$PY - "$T/out" <<'PYEOF' || fail "report content"
import csv, sys, os, re
out = sys.argv[1]
html = open(out + '/index.html', encoding='utf-8').read()
rows = [r for r in csv.DictReader(open(out + '/nps.csv', newline='')) if r['dimension'] == 'all' and r['period'] != 'all']
last = max(rows, key=lambda r: r['period'])
m = re.search(r'<div class="big">(-?[0-9.]+)</div>', html)
assert m, 'no headline'
assert abs(float(m.group(1)) - float(last['nps'])) < 0.051, (m.group(1), last['nps'])
assert 'statistically significant' in html
for sec in ('summary', 'trend', 'segments', 'drivers', 'verbatims', 'quality', 'methods'):
    assert 'id="%s"' % sec in html, sec
for name in ('nps_trend', 'score_dist', 'segments_1', 'segments_2'):
    svg = open('%s/charts/%s.svg' % (out, name), encoding='utf-8').read()
    assert '<svg' in svg and '</svg>' in svg, name
    png = open('%s/charts/%s.png' % (out, name), 'rb').read(8)
    assert png == b'\x89PNG\r\n\x1a\n', name
    assert 'charts/%s.svg' % name in html, name
assert 'http://' not in html.replace('http://www.w3.org', '') and 'https://' not in html, 'page loads from the network'
PYEOF
# without gnuplot on PATH: a warning, CSV and HTML still written
PATH=/nonexistent "$CX" --db "$T/db" report --out "$T/nog" > /dev/null 2> "$T/err" || fail "report without gnuplot"
grep -q "gnuplot not found" "$T/err" || fail "no warning without gnuplot"
[ -s "$T/nog/index.html" ] && [ -s "$T/nog/nps.csv" ] || fail "outputs missing without gnuplot"
grep -q 'charts/nps_trend.svg' "$T/nog/index.html" && fail "page points at charts that were not drawn"
# Hostile segment names and months: a segment starting with '#' is drawn
# (gnuplot reads no comment character), a gap of months stays a gap in the
# trend chart (x is the month's ordinal, a blank line breaks line and band)
# and bidi controls from data never reach the page or a chart's data.
$PY - "$T/odd.csv" <<'PYEOF' || fail "odd data"
import csv, sys
w = csv.writer(open(sys.argv[1], 'w', newline='', encoding='utf-8'))
w.writerow(['response_id', 'responded_at', 'score', 'channel', 'comment'])
k = 0
for m in ('2025-01', '2026-09', '2026-10'):
    for ch, sc in (('#vip', 10), (' #lead', 0), ('\u202eweb', 9), ('x\u2066y\u2069', 7), ('phone', 5)):
        for j in range(6):
            k += 1
            w.writerow(['o%d' % k, '%s-%02dT10:00:00Z' % (m, 1 + j), (sc + j) % 11, ch,
                        'slow \u202areply\u202c and \u202dfees\u202c'])
PYEOF
"$CX" --db "$T/odd.db" --quiet import responses "$T/odd.csv" || fail "import odd"
"$CX" --db "$T/odd.db" --quiet report --by channel --out "$T/odd" > /dev/null || fail "report odd"
$PY - "$T/odd" <<'PYEOF' || fail "odd report"
import re, sys, html as H
out = sys.argv[1]
svg = open(out + '/charts/segments_1.svg', encoding='utf-8').read()
texts = [t.strip() for t in re.findall(r'<text[^>]*>([^<]*)</text>', svg)]
for want in ('#vip', '#lead', 'phone'):
    assert want in texts, ('segment not drawn', want, texts)
rows = open(out + '/charts/nps_trend.dat', encoding='utf-8').read().split('\n')
assert rows[-1] == '', rows
rows = rows[:-1]
assert [r.split('\t')[0] for r in rows] == ['2025-01', '', '2026-09', '2026-10'], rows
x = [int(r.split('\t')[4]) for r in rows if r]
assert x == [0, 20, 21], ('x is not the month ordinal', x)
gp = open(out + '/charts/nps_trend.gp', encoding='utf-8').read()
assert "commentschars ''" in gp and 'using 5:' in gp and 'xrange [-0.5:21.5]' in gp, gp
bidi = set(chr(c) for c in list(range(0x202a, 0x202f)) + list(range(0x2066, 0x206a)))
page = open(out + '/index.html', encoding='utf-8').read()
for text in (page, H.unescape(page)):
    assert not bidi & set(text), 'bidi control from data in the page'
assert '&#xFFFD;web' in page and 'slow &#xFFFD;reply&#xFFFD;' in page, 'bidi controls not shown as U+FFFD'
import glob
for dat in glob.glob(out + '/charts/*.dat'):
    assert not bidi & set(open(dat, encoding='utf-8').read()), dat
PYEOF
# consecutive months: x is 0, 1, 2, ... with no blank line (the chart as before)
awk -F'\t' 'NF != 7 || $5 != NR - 1 { bad = 1 } END { exit bad }' "$T/out/charts/nps_trend.dat" ||
    fail "consecutive months: nps_trend.dat not one row a month, x from 0"
echo "report: headline matches nps.csv, 4 charts in SVG and PNG, works without gnuplot; '#' segments drawn, month gaps kept, no bidi control from data"
