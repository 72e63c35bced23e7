# The page and its charts say what the data holds:
# - a segment name of 200 × "ש" (400 bytes) is cut at a character
#   boundary with "…", and every chart SVG stays well-formed XML;
# - agent ids and segments with backslashes (CORP\nancy, SALES\101) are
#   drawn literally, not read as gnuplot escapes;
# - a file imported twice: its rows are "already held (replaced or
#   unchanged)", not "replaced";
# - a store of August–October 2026 has its trend "over August–October
#   2026" (NPS and CSAT), and when a month of one class is left out of the
#   fit the page says so instead of "fewer than three months with
#   responses";
# - spend data running past the day the report month's windows complete
#   is not waited for;
# - the <title> names the month, and the trend table writes negative
#   intervals "-71.3 to -26.4", not "-71.3–-26.4".
. tests/e2e/lib.inc
page() { sed 's/<[^>]*>//g' "$1/index.html"; }

# ---- trend span, the reason no trend was fitted, title, negative intervals
$PY - "$T/t.csv" <<'PY'
import csv, random, sys
random.seed(2)
w = csv.writer(open(sys.argv[1], 'w', newline=''))
w.writerow(['response_id', 'responded_at', 'score', 'metric'])
i = 0
low = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10]  # August: a negative NPS and its interval
# September: all promoters (NPS) and all satisfied (CSAT): SE 0, no weight
for m, n, nps, csat in [('2026-08', 40, None, None), ('2026-09', 6, 10, 5), ('2026-10', 40, None, None)]:
    for k in range(n):
        i += 1
        day = f'{m}-{1 + k % 28:02d}'
        w.writerow([f't{i}', day + 'T10:00:00Z',
                    nps if nps is not None else random.choice(low if m == '2026-08' else range(11)), 'nps'])
        w.writerow([f'c{i}', day + 'T11:00:00Z', csat if csat is not None else random.randint(1, 5), 'csat'])
PY
"$CX" --db "$T/t.db" --quiet import responses "$T/t.csv" || fail "import trend data"
"$CX" --db "$T/t.db" --quiet report --month 2026-10 --out "$T/t" >/dev/null 2>"$T/t.err" || fail "report: $(cat "$T/t.err")"
page "$T/t" >"$T/t.txt"
grep -q 'Trend over August–October 2026: fewer than three months with a usable standard error (2 of the 3 months with responses' "$T/t.txt" ||
    fail "NPS trend: $(grep 'Trend over' "$T/t.txt")"
grep -q 'November 2025' "$T/t.txt" && fail "a span the data does not have: $(grep 'November 2025' "$T/t.txt")"
grep -q '<title>cxpulse report &mdash; October 2026</title>' "$T/t/index.html" ||
    fail "title: $(grep -o '<title>.*</title>' "$T/t/index.html")"
grep -Eq '<td[^>]*>-?[0-9.]+&ndash;-?[0-9.]+</td>' "$T/t/index.html" && fail "an interval written lo–hi in the trend table"
grep -Eq '<td data-label="Interval">-[0-9.]+ to -[0-9.]+</td>' "$T/t/index.html" ||
    fail "August's negative interval: $(grep -o 'Aug&nbsp;2026.*' "$T/t/index.html")"
# the page of September ends its trend with September: October's row and
# point are not on it (nps.csv keeps every month)
"$CX" --db "$T/t.db" --quiet report --month 2026-09 --out "$T/t9" >/dev/null 2>"$T/t9.err" ||
    fail "report --month 2026-09: $(cat "$T/t9.err")"
grep -q 'Oct&nbsp;2026' "$T/t9/index.html" && fail "September's page shows October in its trend"
grep -q 'every month, August 2026 to September 2026' "$T/t9/index.html" ||
    fail "September's trend heading: $(grep -o 'every month, [^<]*' "$T/t9/index.html")"
grep -q '^2026-10,' "$T/t9/nps.csv" || fail "nps.csv lost October"
"$CX" --db "$T/t.db" --quiet report --metric csat --month 2026-09 --out "$T/t9c" >/dev/null 2>&1 || fail "csat 09"
grep -q 'Oct&nbsp;2026' "$T/t9c/index.html" && fail "September's CSAT page shows October in its trend"
# a segment in both months whose answers have no spread (12 promoters,
# then 10 detractors): the drivers table says so, not "not in both months"
$PY - "$T/dr.csv" <<'PY'
import csv, sys
w = csv.writer(open(sys.argv[1], 'w', newline=''))
w.writerow(['response_id', 'responded_at', 'score', 'channel'])
i = 0
for m, seg, scores in [('2026-09', 'a', [10] * 12), ('2026-10', 'a', [0] * 10),
                       ('2026-09', 'b', list(range(11)) * 3), ('2026-10', 'b', list(range(11)) * 3)]:
    for k, sc in enumerate(scores):
        i += 1
        w.writerow(['d%d' % i, '%s-%02dT10:00:00Z' % (m, 1 + k % 28), sc, seg])
PY
"$CX" --db "$T/dr.db" --quiet import responses "$T/dr.csv" || fail "import drivers data"
"$CX" --db "$T/dr.db" --quiet report --month 2026-10 --by channel --out "$T/dr" >/dev/null 2>&1 || fail "report drivers data"
grep -q 'no spread to test' "$T/dr/index.html" || fail "drivers: a segment of both months without spread not said"
grep -q 'not in both months' "$T/dr/index.html" && fail "drivers: a segment of both months said to be missing from one"
# a 12-month window over three months of data: the headings name those
# three months, not November 2025 (agents, peak-end, spend, the summary)
"$CX" --db "$T/t.db" --quiet report --month 2026-10 --window 12m --out "$T/tw" >/dev/null 2>"$T/tw.err" ||
    fail "report --window 12m: $(cat "$T/tw.err")"
grep -q 'November 2025' "$T/tw/index.html" && fail "--window 12m: a span the data does not have: $(grep -o '[^>]*November 2025[^<]*' "$T/tw/index.html" | head -3)"
grep -q 'August&ndash;October 2026\|August–October 2026' "$T/tw/index.html" || fail "--window 12m: the months with data not named"
"$CX" --db "$T/t.db" --quiet report --metric csat --month 2026-10 --out "$T/tc" >/dev/null 2>"$T/tc.err" ||
    fail "report --metric csat: $(cat "$T/tc.err")"
page "$T/tc" >"$T/tc.txt"
grep -q 'Trend over August–October 2026: fewer than three months with a usable standard error (2 of the 3 months with responses' "$T/tc.txt" ||
    fail "CSAT trend: $(grep 'Trend over' "$T/tc.txt")"
grep -q '<title>cxpulse report &mdash; October 2026</title>' "$T/tc/index.html" || fail "CSAT title"

# ---- a file imported twice; spend data past the windows' day
$PY - "$T" <<'PY'
import csv, random, sys
random.seed(7)
d = sys.argv[1]
w = csv.writer(open(d + '/r.csv', 'w', newline=''))
w.writerow(['response_id', 'responded_at', 'score', 'customer_id'])
for i in range(60):
    w.writerow([f'r{i}', f'2026-06-{1 + i % 28:02d}T10:00:00Z', random.randint(0, 10), f'k{i % 20}'])
w = csv.writer(open(d + '/s.csv', 'w', newline=''))
w.writerow(['customer_id', 'date', 'amount'])
for c in range(20):  # every customer spends on the 1st and the 15th, March to 15 December 2026
    for m in range(3, 13):
        for day in (1, 15):
            w.writerow([f'k{c}', f'2026-{m:02d}-{day:02d}', random.randint(10, 90)])
PY
"$CX" --db "$T/s.db" --quiet import responses "$T/r.csv" || fail "import"
"$CX" --db "$T/s.db" import responses "$T/r.csv" 2>"$T/again.err" || fail "import again"
grep -q '0 replaced, 60 unchanged' "$T/again.err" || fail "import again: $(cat "$T/again.err")"
"$CX" --db "$T/s.db" --quiet import spend "$T/s.csv" || fail "import spend"
"$CX" --db "$T/s.db" --quiet report --month 2026-06 --out "$T/s" >/dev/null 2>"$T/s.err" || fail "report: $(cat "$T/s.err")"
grep -q '<tr><td>Rows already held, replaced</td><td>0</td></tr>' "$T/s/index.html" &&
    grep -q '<tr><td>Rows already held, unchanged</td><td>60</td></tr>' "$T/s/index.html" ||
    fail "data quality: $(grep -io '<tr><td>[^<]*\(replaced\|held\)[^<]*</td><td>[^<]*' "$T/s/index.html")"
page "$T/s" >"$T/s.txt"
grep -q 'once spend data up to that day is imported' "$T/s.txt" &&
    fail "waits for spend data it has: $(grep 'Spend is compared' "$T/s.txt")"
grep -q 'the responses of June 2026 have complete windows from 28 September 2026, and the spend data reaches that day' "$T/s.txt" ||
    fail "spend: $(grep 'Spend is compared' "$T/s.txt")"
# 200-day windows end on 16 January 2027, after the spend data: still waited for
"$CX" --db "$T/s.db" --quiet report --month 2026-06 --spend-window 200 --out "$T/s2" >/dev/null 2>"$T/s2.err" ||
    fail "report --spend-window 200: $(cat "$T/s2.err")"
page "$T/s2" | grep -q 'those of June 2026 have complete windows from 16 January 2027, once spend data up to that day is imported' ||
    fail "spend, 200 days: $(page "$T/s2" | grep 'Spend is compared')"

# ---- chart labels: UTF-8 cut, backslashes
if command -v gnuplot >/dev/null; then
    $PY - "$T/l.csv" <<'PY'
import csv, random, sys
random.seed(5)
names = ['CORP\\nancy', 'CORP\\tom', 'CORP\\alice', 'CORPalice', 'SALES\\101', 'x^2_{a}@b&c~d']
w = csv.writer(open(sys.argv[1], 'w', newline=''))
w.writerow(['response_id', 'responded_at', 'score', 'metric', 'agent_id', 'handle_time_s', 'channel', 'product'])
for i in range(600):
    a = i % 6
    for metric, score in (('nps', min(10, max(0, int(random.gauss(5 + a, 2))))), ('csat', 1 + i % 5)):
        w.writerow([f'{metric}{i}', '2026-10-%02dT10:00:00Z' % (1 + i % 28), score, metric, names[a], 300 + a * 60,
                    names[a], ['ש' * 200, 'plain'][i % 2]])
PY
    "$CX" --db "$T/l.db" --quiet import responses "$T/l.csv" || fail "import labels"
    "$CX" --db "$T/l.db" --quiet report --month 2026-10 --min-responses 5 --by channel,product --out "$T/l" \
        >/dev/null 2>"$T/l.err" || fail "report: $(cat "$T/l.err")"
    # the CSAT segment chart draws a label of up to 255 bytes (fmt_label's cut)
    "$CX" --db "$T/l.db" --quiet report --metric csat --month 2026-10 --min-responses 5 --by channel,product \
        --out "$T/lc" >/dev/null 2>"$T/lc.err" || fail "report --metric csat: $(cat "$T/lc.err")"
    cp "$T/lc/charts/csat_segments_2.svg" "$T/l/charts/" || fail "no csat_segments_2.svg"
    $PY - "$T/l/charts" <<'PY' || fail "chart labels"
import glob, sys, xml.etree.ElementTree as ET
bad = 0
texts = {}
for p in sorted(glob.glob(sys.argv[1] + '/*.svg')):
    try:
        root = ET.parse(p).getroot()  # well-formed XML, valid UTF-8
    except ET.ParseError as e:
        print('FAIL: %s: %s' % (p, e))
        bad = 1
        continue
    texts[p.rsplit('/', 1)[1]] = {''.join(t.itertext()) for t in root.iter('{http://www.w3.org/2000/svg}text')}
names = {'CORP\\nancy', 'CORP\\tom', 'CORP\\alice', 'CORPalice', 'SALES\\101', 'x^2_{a}@b&c~d'}
for chart in ('agents_caterpillar.svg', 'segments_1.svg'):
    want = names if chart.startswith('agents') else {n.replace('_', ' ') for n in names}  # segments: '_' read as a space
    missing = want - texts.get(chart, set())
    if missing:
        print('FAIL: %s does not show %s literally: %s' % (chart, sorted(missing), sorted(texts.get(chart, set()))))
        bad = 1
for chart in ('segments_2.svg', 'csat_segments_2.svg'):
    cut = [t for t in texts.get(chart, set()) if t.startswith('שש')]
    if len(cut) != 1 or not cut[0].endswith('…') or len(cut[0].encode()) > 255 or set(cut[0][:-1]) != {'ש'}:
        print('FAIL: the long segment in %s: %r' % (chart, cut))
        bad = 1
sys.exit(bad)
PY
    if command -v xmllint >/dev/null; then
        xmllint --noout "$T"/l/charts/*.svg "$T"/lc/charts/*.svg 2>"$T/xmllint.err" || fail "xmllint: $(head -3 "$T/xmllint.err")"
    fi
fi
echo "report wording: trend over the months with data and why no fit, rows already held, spend windows complete, title with the month, '-71.3 to -26.4', chart labels cut at a character and drawn literally"
