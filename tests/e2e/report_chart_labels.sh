# Chart labels of realistic length (docs/report.md, "Layout"): product
# names of 24-36 characters (one in accented UTF-8), the 15 largest US
# states, e-mail addresses of 51 characters as agent ids, and a dimension of
# 300 segments in the month whose largest sorts late by name.  In every
# segment chart and agent chart of the NPS and the CSAT report, read from
# the SVG (xml.etree): each bar's label is there, whole or cut with an
# ellipsis at a character boundary; no label's box (0.6 em a character,
# from its position and text-anchor) runs off the chart or overlaps
# another's; the plot gives each bar a row at least 20 units high; with
# 300 segments the largest segments by responses are drawn (the largest
# among them) and the chart's title says how many of how many; and a
# second run draws the same SVG and PNG bytes.
. tests/e2e/lib.inc
command -v gnuplot >/dev/null || fail "gnuplot is not installed (scripts/install-deps installs it)"
$PY - "$T/r.csv" <<'PY'
import random, sys
random.seed(7)
products = ["Premium Travel Rewards Credit Card", "Small Business Checking Account",
            "Home Equity Line of Credit", "Student Loan Refinancing", "Mobile Banking App (iOS/Android)",
            "Wealth Management Advisory", "Société Générale Épargne Crédit", "Auto Loan"]
states = ["California", "Texas", "Florida", "New York", "Pennsylvania", "Illinois", "Ohio", "Georgia",
          "North Carolina", "Michigan", "New Jersey", "Virginia", "Washington", "Arizona", "Tennessee"]
agents = ["agent.number%02d.fullname@contact-centre.example.com" % i for i in range(30)]
rows = ["response_id,responded_at,score,metric,product,state,store,agent_id,handle_time_s"]
def add(month, day, store):
    a = random.randrange(30)
    skill = a / 29.0
    t = "2026-%02d-%02dT%02d:00:00Z" % (month, day, len(rows) % 24)
    nps = min(10, max(0, round(random.gauss(4 + 5 * skill, 2.0))))
    csat = random.choice((4, 5)) if random.random() < 0.3 + 0.6 * skill else random.choice((1, 2, 3))
    for metric, score in (("nps", nps), ("csat", csat)):
        rows.append("%s%d,%s,%d,%s,%s,%s,%s,%s,%d" % (metric, len(rows), t, score, metric, random.choice(products),
                    random.choice(states), store, agents[a], random.randint(100, 1200)))
# October: 300 stores of 1 to 5 responses each, and store 287 of 40
for i in range(300):
    for k in range(40 if i == 287 else 1 + i * 7 % 5):
        add(10, 1 + k % 28, "store %03d" % i)
for month in (8, 9):
    for k in range(900):
        add(month, 1 + k % 28, "store %03d" % random.randrange(300))
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
"$CX" --db "$T/db" --quiet import responses "$T/r.csv" || fail "import"
for run in 1 2; do
    "$CX" --db "$T/db" --quiet report --month 2026-10 --by product,state,store --out "$T/nps$run" >/dev/null ||
        fail "report"
    "$CX" --db "$T/db" --quiet report --metric csat --month 2026-10 --by product,state,store \
        --out "$T/csat$run" >/dev/null || fail "report --metric csat"
done
for m in nps csat; do
    for f in "$T/${m}1/charts/"*.svg "$T/${m}1/charts/"*.png; do
        cmp -s "$f" "$T/${m}2/charts/${f##*/}" || fail "${f##*/} differs between two runs"
    done
done
$PY - "$T" <<'PYEOF' || fail "chart labels"
import csv, math, re, sys
import xml.etree.ElementTree as ET
t = sys.argv[1]
SVG = '{http://www.w3.org/2000/svg}'
rows = [r for r in csv.DictReader(open(t + '/r.csv', encoding='utf-8')) if r['responded_at'].startswith('2026-10')]
def names(metric, col):
    out = {}
    for r in rows:
        if r['metric'] == metric:
            out[r[col]] = out.get(r[col], 0) + 1
    return out

def texts(path):
    """Each text of the SVG: its string and its box, four corners turned
    by its rotation (0.6 em a character, 0.75 em above the baseline to
    0.2 em below), and the canvas's width and height."""
    root = ET.parse(path).getroot()
    vw, vh = map(float, root.get('viewBox').split()[2:])
    out = []
    for g in root.iter(SVG + 'g'):
        te = g.find(SVG + 'text')
        s = ''.join(te.itertext()).strip() if te is not None else ''
        if not s:
            continue
        m = re.match(r'translate\(([-0-9.]+),([-0-9.]+)\)(?: rotate\(([-0-9.]+)\))?', g.get('transform', ''))
        assert m and g.get('font-size'), '%s: text %r without position or size' % (path, s)
        x, y, fs = float(m.group(1)), float(m.group(2)), float(g.get('font-size'))
        w = 0.6 * fs * len(s)
        x0 = {'start': 0, 'middle': -w / 2, 'end': -w}[g.get('text-anchor', 'start')]
        a = math.radians(float(m.group(3) or 0))
        c, sn = math.cos(a), math.sin(a)
        out.append((s, [(x + u * c - v * sn, y + u * sn + v * c)
                        for u, v in ((x0, -0.75 * fs), (x0 + w, -0.75 * fs), (x0 + w, 0.2 * fs), (x0, 0.2 * fs))]))
    return out, vw, vh

def overlap(p, q):
    """Separating-axis test of two convex quadrilaterals."""
    for poly in (p, q):
        for i in range(4):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % 4]
            a = [(y2 - y1) * x + (x1 - x2) * y for x, y in p]
            b = [(y2 - y1) * x + (x1 - x2) * y for x, y in q]
            if max(a) <= min(b) + 1e-6 or max(b) <= min(a) + 1e-6:
                return False
    return True

def plot_height(path):
    """Height of the plot's border: the largest closed rectangle drawn."""
    best = 0
    for p in ET.parse(path).getroot().iter(SVG + 'path'):
        pts = re.findall(r'([-0-9.]+),([-0-9.]+)', p.get('d', ''))
        if len(pts) == 5 and p.get('d', '').strip().endswith('Z'):
            ys = [float(y) for _, y in pts]
            best = max(best, max(ys) - min(ys))
    return best

def shows(text, name):
    """TEXT is NAME, or NAME cut at a character with an ellipsis."""
    return text == name or (text.endswith('\u2026') and len(text) < len(name)
                            and name.startswith(text[:-1].rstrip()))

bad = []
def check(path, want, every=True):
    """Chart PATH: labels apart and inside; each of WANT (name -> responses)
    drawn when EVERY, else the largest ones as its title says."""
    bx, vw, vh = texts(path)
    name = path.rsplit('/', 1)[1]
    for i in range(len(bx)):
        for j in range(i + 1, len(bx)):
            if overlap(bx[i][1], bx[j][1]):
                bad.append('%s: %r over %r' % (name, bx[i][0], bx[j][0]))
    bad.extend('%s: %r runs off the %gx%g chart' % (name, s, vw, vh) for s, q in bx
               if min(x for x, _ in q) < -0.5 or max(x for x, _ in q) > vw + 0.5
               or min(y for _, y in q) < -0.5 or max(y for _, y in q) > vh + 0.5)
    drawn = {n for n in want if sum(shows(s, n) for s, _ in bx) == 1}
    title = [s for s, _ in bx if re.fullmatch(r'largest \d+ of \d+ segments', s)]
    if every:
        bad.extend('%s: no label for %r' % (name, n) for n in sorted(set(want) - drawn))
    elif not title:
        bad.append('%s: %d segments, %d drawn, and no title says so' % (name, len(want), len(drawn)))
    else:
        k, m = map(int, re.findall(r'\d+', title[0]))
        if m != len(want) or k != len(drawn) or not 10 <= k < m:
            bad.append('%s: title %r, %d of %d segments drawn' % (name, title[0], len(drawn), len(want)))
        top = max(want, key=want.get)
        if top not in drawn:
            bad.append('%s: the largest segment %r (%d responses) is not drawn' % (name, top, want[top]))
        if drawn and drawn != set(want) and min(want[n] for n in drawn) < max(want[n] for n in set(want) - drawn):
            bad.append('%s: a smaller segment drawn in place of a larger one' % name)
    h = plot_height(path)
    if h < 20 * max(1, len(drawn)):
        bad.append('%s: plot %.0f units high for %d bars' % (name, h, len(drawn)))

for metric, pre in (('nps', ''), ('csat', 'csat_')):
    d = '%s/%s1/charts/' % (t, metric)
    check(d + pre + 'segments_1.svg', names(metric, 'product'))
    check(d + pre + 'segments_2.svg', names(metric, 'state'))
    check(d + pre + 'segments_3.svg', names(metric, 'store'), every=False)
    agents = {r['agent_id']: 1 for r in rows if r['metric'] == metric}
    check(d + ('agents_caterpillar.svg' if metric == 'nps' else 'csat_agents.svg'), agents)
shown = {}
for b in bad:  # at most 3 problems a chart, and how many in all
    shown.setdefault(b.split(':')[0], []).append(b)
assert not bad, '\n'.join(l for c in shown.values() for l in c[:3] + ['  (%d in all)' % len(c)])
PYEOF
echo "ok: chart labels fit, the largest segments drawn and counted"
