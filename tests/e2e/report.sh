# The report: index.html with the headline of the latest month equal to
# nps.csv, charts drawn as SVG and PNG; without gnuplot, a warning and the
# CSV and HTML still written.
. tests/e2e/lib.inc
"$GEN" --rows 4000 --seed 3 --out "$T/d" >/dev/null || fail "gen-sample"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" || fail "import"
"$CX" --db "$T/db" --quiet import customers "$T/d/customers.csv" || fail "import customers"
"$CX" --db "$T/db" --quiet import spend "$T/d/spend.csv" || fail "import spend"
path=$("$CX" --db "$T/db" --quiet report --by channel,tier --out "$T/out") || fail "report"
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
echo "report: headline matches nps.csv, 4 charts in SVG and PNG, works without gnuplot"
