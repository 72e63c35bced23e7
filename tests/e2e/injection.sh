# Hostile strings in segment names and comments come out inert: CSV cells
# that look like formulas start with ', the HTML has no live tag or handler,
# and gnuplot never runs data as commands (a canary file is not created).
. tests/e2e/lib.inc
canary="$T/canary"
$PY - "$T/in.csv" "$canary" <<'PYEOF'
import csv, sys
hostile = ['=HYPERLINK("http://evil.example","click")', '+SUM(1,2)', '-2+3', '@cmd', '\tTAB', '\rCR',
           '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)',
           'system("touch %s")' % sys.argv[2], '`touch %s`' % sys.argv[2], "x'; DROP TABLE responses; --",
           "it's \"quoted\"", 'set output "%s"' % sys.argv[2]]
with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['response_id', 'responded_at', 'score', 'comment', 'channel', 'team'])
    i = 0
    for month in ('2026-01', '2026-02'):
        for h in hostile:
            for s in (10, 9, 3, 7):
                i += 1
                w.writerow(['r%d' % i, '%s-1%dT10:00:00Z' % (month, s % 10), s, h, h, h])
PYEOF
"$CX" --db "$T/db" --quiet import responses "$T/in.csv" || fail "import"
"$CX" --db "$T/db" --quiet report --by channel,team --out "$T/out" > /dev/null || fail "report"
[ -e "$canary" ] && fail "a data string ran as a command"
$PY - "$T/out" <<'PYEOF' || fail "outputs not inert"
import csv, sys, glob, os
from html.parser import HTMLParser
out = sys.argv[1]
for path in glob.glob(out + '/*.csv'):
    for row in csv.reader(open(path, newline='', encoding='utf-8')):
        for cell in row:
            if cell[:1] in ('=', '+', '@', '\t', '\r') or (cell[:1] == '-' and not cell.replace('.', '', 1).replace('e', '', 1).replace('-', '').replace('+', '').isdigit()):
                raise SystemExit('%s: live cell %r' % (path, cell))
seg = [r['segment'] for r in csv.DictReader(open(out + '/nps.csv', newline='', encoding='utf-8'))]
assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in seg, seg
assert "'-2+3" in seg and "'@cmd" in seg and "'\tTAB" in seg
class P(HTMLParser):
    bad = []
    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'iframe', 'object', 'embed'):
            self.bad.append(tag)
        for k, v in attrs:
            if k.startswith('on') or (v and v.strip().lower().startswith('javascript:')):
                self.bad.append('%s %s=%s' % (tag, k, v))
p = P()
html = open(out + '/index.html', encoding='utf-8').read()
p.feed(html)
assert not p.bad, p.bad
assert '&lt;script&gt;alert(1)&lt;/script&gt;' in html
for dat in glob.glob(out + '/charts/*.dat'):
    for line in open(dat, encoding='utf-8'):
        assert '"' not in line, (dat, line)
for gp in glob.glob(out + '/charts/*.gp'):
    text = open(gp, encoding='utf-8').read()
    assert 'evil' not in text and 'touch' not in text and 'alert' not in text, gp
PYEOF
echo "injection strings in 2 dimensions and comments are inert in CSV, HTML and charts"
