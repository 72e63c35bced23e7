# The report page in a real browser (Debian's headless Chromium), on the
# demo's data: no horizontal overflow of the page or of any table at 390 px
# and 1280 px, chart text at least 11 px on a phone, no console error, every
# section naming its period in its heading, no chart whose labels overlap
# or run off it (every chart of the NPS, CSAT and CES pages, from the SVG's
# own positions and as the browser sets their text at 390 px, at 1280 px
# and in the print layout), and at most 6 A4 pages in print.
. tests/e2e/lib.inc
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps installs it)"
command -v pdfinfo >/dev/null || fail "pdfinfo is not installed (scripts/install-deps installs poppler-utils)"
cat >"$T/cfg.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"], "moment_scale": [1, 5],
 "clv_years": 5, "hic_top": 0.20, "spend_window_days": 90}
JSON
C() { "$CX" --config "$T/cfg.json" --db "$T/db" --quiet "$@"; }
"$GEN" --rows 20000 --seed 42 --out "$T/d" >/dev/null || fail "gen-sample"
for k in responses customers spend; do C import "$k" "$T/d/$k.csv" || fail "import $k"; done
C report --by channel,region,tier --out "$T/out" >/dev/null || fail "report"
# CSAT and CES answers (12 months, 14 agents of rising skill) for the
# charts of those reports
$PY - "$T/m.csv" <<'PY'
import random, sys
random.seed(5)
rows = ["response_id,responded_at,score,metric,channel,region,agent_id,handle_time_s"]
for m in range(12):
    month = "%04d-%02d" % (2025 + (m + 10) // 12, (m + 10) % 12 + 1)
    for k in range(300):
        ch, rg = ("phone", "chat", "email", "web")[k % 4], ("north", "south", "east", "west")[k // 4 % 4]
        t = "%s-%02dT%02d:%02d:00Z" % (month, 1 + k % 28, k % 24, k % 60)
        p = 0.5 + 0.3 * (k % 14) / 13.0 + (0.1 if ch == "chat" else 0)
        sat = random.choice((4, 5)) if random.random() < p else random.choice((1, 2, 3))
        ces = min(7, max(1, round(random.gauss(3 + 2 * p, 1.2))))
        for metric, score in (("csat", sat), ("ces", ces)):
            rows.append("%s%d-%d,%s,%d,%s,%s,%s,agent_%02d,%d" % (metric, m, k, t, score, metric, ch, rg, k % 14, 200 + k))
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
"$CX" --db "$T/mdb" --quiet import responses "$T/m.csv" || fail "import CSAT and CES"
for m in csat ces; do
    "$CX" --db "$T/mdb" --quiet report --metric $m --by channel,region --out "$T/out-$m" >/dev/null ||
        fail "report --metric $m"
done
browse() {   # browse OUTFILE ARGS...: headless Chromium with a fresh profile
    out=$1; shift
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$(mktemp -d -p "$T")" "$@" >"$out" 2>"$out.err"
}
# 1. console: the page itself, its CSP on, logged to stderr
browse "$T/console" --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom \
    "file://$T/out/index.html" || fail "chromium could not open the page"
grep -q '</html>' "$T/console" || fail "no DOM dumped"
if grep -E ':CONSOLE\(|Uncaught|Refused to|net::ERR_' "$T/console.err"; then fail "console errors"; fi
# 2. layout: a copy of the page with a probe script (the page's CSP forbids
#    scripts) that writes what it measures into the DOM
cat >"$T/probe.js" <<'JS'
window.addEventListener('load', function () {
  var de = document.documentElement, r = {page: de.scrollWidth, view: window.innerWidth,
    boxes: [], figures: [], sections: []};
  document.querySelectorAll('.tw, section, figure, table').forEach(function (e) {
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== 'none')
      r.boxes.push(((e.closest('section') || {}).id || '') + ' ' + (e.id || e.className || e.tagName) + ' ' + e.scrollWidth + '>' + e.clientWidth);
  });
  document.querySelectorAll('figure img').forEach(function (i) {
    r.figures.push([i.getAttribute('src'), i.getBoundingClientRect().width, i.naturalWidth]);
  });
  document.querySelectorAll('main > section, main > p').forEach(function (s) {
    var h = s.querySelector('h2, summary');
    if (s.tagName === 'SECTION') r.sections.push([s.id, h ? h.textContent : '']);
  });
  r.labels = []; r.nlabels = 0; r.charts = 0;
  document.querySelectorAll('figure img').forEach(function (i) {
    var w = i.getBoundingClientRect().width;
    if (!w) return;                                  /* not shown (print leaves some out) */
    labels(i.getAttribute('src'), w, r);
  });
  parent.postMessage(JSON.stringify(r), '*');
});
/* Chart SRC drawn W px wide as the page shows it, inline, so that its
 * texts can be measured as the browser sets them (real font, real size):
 * each text's glyph box turned by its transform, no two overlapping by
 * more than half a pixel, none outside the chart. */
function labels(src, w, r) {
  var x = new XMLHttpRequest();
  x.open('GET', src, false);
  x.send();
  var d = document.createElement('div');
  d.style.cssText = 'position:absolute;left:0;top:0;width:' + w + 'px';
  d.innerHTML = x.responseText.replace(/^<\?xml[^>]*>/, '');
  document.body.appendChild(d);
  var svg = d.querySelector('svg');
  svg.setAttribute('width', w);
  svg.removeAttribute('height');
  var box = svg.getBoundingClientRect(), q = [];
  r.charts++;
  svg.querySelectorAll('text').forEach(function (t) {
    if (!t.textContent.trim()) return;
    var b = t.getBBox(), m = t.getScreenCTM();
    q.push([t.textContent.trim(), [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
      [b.x, b.y + b.height]].map(function (p) {
        return [m.a * p[0] + m.c * p[1] + m.e, m.b * p[0] + m.d * p[1] + m.f]; })]);
  });
  r.nlabels += q.length;
  var name = src.replace(/.*\//, '');
  q.forEach(function (a, i) {
    a[1].forEach(function (p) {
      if (p[0] < box.left - 1 || p[0] > box.right + 1 || p[1] < box.top - 1 || p[1] > box.bottom + 1)
        r.labels.push(name + ': "' + a[0] + '" runs off the chart');
    });
    for (var j = i + 1; j < q.length; j++)
      if (overlap(a[1], q[j][1])) r.labels.push(name + ': "' + a[0] + '" over "' + q[j][0] + '"');
  });
  d.remove();
}
/* Separating-axis test of two convex quadrilaterals, half a pixel of slack. */
function overlap(p, q) {
  var polys = [p, q];
  for (var k = 0; k < 2; k++)
    for (var i = 0; i < 4; i++) {
      var a = polys[k][i], b = polys[k][(i + 1) % 4], nx = b[1] - a[1], ny = a[0] - b[0];
      var len = Math.sqrt(nx * nx + ny * ny) || 1;
      var pp = p.map(function (v) { return (nx * v[0] + ny * v[1]) / len; });
      var qq = q.map(function (v) { return (nx * v[0] + ny * v[1]) / len; });
      if (Math.max.apply(null, pp) <= Math.min.apply(null, qq) + 0.5 ||
          Math.max.apply(null, qq) <= Math.min.apply(null, pp) + 0.5) return false;
    }
  return true;
}
JS
# The NPS page and the CSAT and CES ones, each at 390 px, at 1280 px and in
# its print layout: a copy whose print rules apply on screen, in a frame as
# wide as the A4 page's printable width (188 mm).  Headless windows are at
# least 500 px wide: the page is measured in a frame of the exact width,
# which posts its figures to the frame's parent.
for d in out out-csat out-ces; do
    sed -e '/Content-Security-Policy/d' -e 's|</body>|<script src="probe.js"></script></body>|' \
        "$T/$d/index.html" >"$T/$d/probe.html"
    cp "$T/probe.js" "$T/$d/probe.js"
    sed -e 's/@media print{/@media all{/' -e 's/@media screen and (max-width:700px){/@media not all{/' \
        -e 's/@media screen{/@media not all{/' "$T/$d/probe.html" >"$T/$d/print.html"
    grep -q '@media all{' "$T/$d/print.html" || fail "no print rules found in $d"
    for w in 390 1280 print; do
        page=probe.html width=$w
        [ $w = print ] && page=print.html width=711
        cat >"$T/$d/frame$w.html" <<HTML
<!DOCTYPE html><html><body style="margin:0">
<iframe src="$page" style="width:${width}px;height:900px;border:0"></iframe>
<script>window.addEventListener('message', function (e) {
  var o = document.createElement('pre'); o.id = 'probe'; o.textContent = e.data;
  document.body.appendChild(o); });</script></body></html>
HTML
        browse "$T/dom-$d-$w" --window-size=1400,1000 --virtual-time-budget=8000 --dump-dom \
            --allow-file-access-from-files "file://$T/$d/frame$w.html" || fail "chromium: $d at $w px"
    done
done
# 2b. chart labels: in every chart no two texts overlap (tick labels,
#     titles, keys) and none runs off the canvas, judged from the SVG's own
#     positions and font sizes.  The page scales a chart's SVG as a whole
#     (at 390 px, 1280 px and on paper alike), so what holds in its own
#     units holds at every size.
$PY - "$T/out/charts" "$T/out-csat/charts" "$T/out-ces/charts" <<'PYEOF' || fail "chart labels overlap"
import glob, math, re, sys
TEXT = re.compile(r'<g transform="translate\(([-0-9.]+),([-0-9.]+)\)(?: rotate\(([-0-9.]+)\))?"[^>]*?'
                  r'font-size="([0-9.]+)"[^>]*?text-anchor="(start|middle|end)">\s*<text>([^<]*)</text>')
VIEW = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
def boxes(svg):
    """Each text as a rectangle turned by its angle: 0.55 em a character
    (a generous average for sans), from 0.75 em above the baseline to
    0.2 em below."""
    out = []
    for x, y, rot, fs, anchor, t in TEXT.findall(svg):
        x, y, fs, t = float(x), float(y), float(fs), t.strip()
        if not t:
            continue
        w = 0.55 * fs * len(t)
        x0 = {'start': 0, 'middle': -w / 2, 'end': -w}[anchor]
        a = math.radians(float(rot or 0))
        c, s = math.cos(a), math.sin(a)
        out.append((t, [(x + u * c - v * s, y + u * s + v * c) for u, v in
                        ((x0, -0.75 * fs), (x0 + w, -0.75 * fs), (x0 + w, 0.2 * fs), (x0, 0.2 * fs))]))
    return out
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
bad, seen, charts = [], 0, 0
for path in sorted(p for d in sys.argv[1:] for p in glob.glob(d + '/*.svg')):
    name = path.rsplit('/', 1)[1]
    svg = open(path, encoding='utf-8').read()
    vw, vh = map(float, VIEW.search(svg).groups())
    bx = boxes(svg)
    seen += len(bx)
    charts += 1
    bad += ['%s: %r over %r' % (name, bx[i][0], bx[j][0])
            for i in range(len(bx)) for j in range(i + 1, len(bx)) if overlap(bx[i][1], bx[j][1])]
    bad += ['%s: %r runs off the %gx%g canvas' % (name, t, vw, vh) for t, q in bx
            if min(x for x, _ in q) < -0.5 or max(x for x, _ in q) > vw + 0.5
            or min(y for _, y in q) < -0.5 or max(y for _, y in q) > vh + 0.5]
assert charts >= 19 and seen > 150, 'too few charts (%d) or labels (%d) read: has the SVG changed?' % (charts, seen)
assert not bad, '\n'.join(bad[:10])
PYEOF
$PY - "$T" <<'PYEOF' || fail "layout"
import glob, html, json, re, sys
t = sys.argv[1]
months = r'(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}'
def probe(w, d='out'):
    dom = open('%s/dom-%s-%s' % (t, d, w), encoding='utf-8').read()
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert m, 'no probe output for %s at %s px' % (d, w)
    return json.loads(html.unescape(m.group(1)))
font = {}
for p in glob.glob(t + '/out/charts/*.svg'):
    sizes = [float(x) for x in re.findall(r'font-size="([0-9.]+)"', open(p, encoding='utf-8').read())]
    font['charts/' + p.rsplit('/', 1)[1]] = min(sizes) if sizes else None
for w in (390, 1280):
    r = probe(w)
    assert r['view'] == w, ('viewport', r['view'], w)
    assert r['page'] <= r['view'], 'page %d px wide at %d px: horizontal scroll' % (r['page'], w)
    assert not r['boxes'], 'boxes wider than their room at %d px: %s' % (w, r['boxes'][:5])
    assert len(r['sections']) >= 10, r['sections']
    for sid, head in r['sections']:
        assert re.search(months + '|every month|whole store|every period', head), \
            'section %s does not name its period: %r' % (sid, head)
    if w == 390:
        for src, shown, natural in r['figures']:
            f = font.get(src)
            assert natural > 0 and f, (src, natural, f)
            px = f * shown / natural
            assert px >= 11, '%s: text %.1f px on a %d px screen' % (src, px, w)
# chart labels as the browser sets them, at both widths and in the print
# layout (where the charts are 4 cm high at most), on every page; nothing
# wider than its box, on screen or in print
for d, least in (('out', 11), ('out-csat', 4), ('out-ces', 4)):
    for w in (390, 1280, 'print'):
        r = probe(w, d)
        n = least if w != 'print' else {'out': 5, 'out-csat': 1, 'out-ces': 1}[d]
        assert r['charts'] >= n and r['nlabels'] > 8 * n, \
            'only %d charts, %d labels measured in %s at %s' % (r['charts'], r['nlabels'], d, w)
        assert not r['labels'], 'chart labels of %s at %s: %s' % (d, w, r['labels'][:10])
        assert not r['boxes'], 'boxes wider than their room in %s at %s: %s' % (d, w, r['boxes'][:5])
print('ok: %d sections, %d charts' % (len(r['sections']), len(r['figures'])))
PYEOF
# 3. print: A4, at most 6 pages
browse "$T/pdf.log" --no-pdf-header-footer --virtual-time-budget=5000 --print-to-pdf="$T/page.pdf" \
    "file://$T/out/index.html" || fail "print to PDF"
pages=$(pdfinfo "$T/page.pdf" | sed -n 's/^Pages: *//p')
size=$(pdfinfo "$T/page.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1x\2/p')
[ -n "$pages" ] && [ "$pages" -le 6 ] || fail "prints on $pages pages, want at most 6"
case "$size" in 59[45]*x84[12]*) ;; *) fail "page size $size pt is not A4";; esac
# data quality and methods, collapsed on the screen, print open (SPEC: on the page)
if command -v pdftotext >/dev/null; then
    pdftotext "$T/page.pdf" "$T/page.txt" || fail "pdftotext"
    grep -q "Responses analysed" "$T/page.txt" || fail "the printed page has no data quality figures"
    grep -q "NPS = 100" "$T/page.txt" || fail "the printed page has no methods text"
fi
echo "report page: no overflow at 390 and 1280 px, charts legible, no console errors, periods named, $pages A4 pages with data quality and methods open"
