"""hostile_lib.py -- shared by tests/e2e/hostile_*.sh: the hostile strings
and the checks that every output stays inert.  Imported by the scripts'
embedded Python (sys.path gets tests/e2e).

A string is "inert" when
  - every CSV cell of the analysis outputs that begins with = + - @ TAB or
    CR is a number or carries the leading ' (docs/formats.md, docs/security.md);
  - the HTML page has no element or attribute that could run: no script,
    iframe, object, embed, form, base or inline svg/math; no on* attribute;
    no javascript:/data: URL; images only from charts/; no meta refresh;
  - gnuplot scripts hold no data and data files no double quote;
  - no command ran (the canary file does not exist).
"""
import csv
import glob
import os
import re
from html.parser import HTMLParser


def hostile(canary):
    """The hostile strings, each naming CANARY where a command would make it."""
    return [
        "=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', '+1+cmd|A0', '-1+cmd|A0',
        '@SUM(1+1)*cmd|A0', '\t=1+1', '\r=1+1', ' =1+1',
        '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg/onload=alert(1)>",
        'javascript:alert(1)', '</td><td onclick=alert(1)>x', '&lt;b&gt;',
        'system("touch %s")' % canary, '`touch %s`' % canary, '$(touch %s)' % canary,
        'set output "%s"' % canary, '"; !touch %s; "' % canary,
        "x'; DROP TABLE responses; --", "it's \"quoted\"", 'a;b;c', '%s%n%x%n',
        'line1\nline2', '\x1b[31mred\x1b[0m\x07', 'rtl\u202eexe.txt', '\u00e9\u4e2d\U0001f600',
    ]


NUMBER = re.compile(r'^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$')


def live_cell(cell):
    """True when a spreadsheet would run CELL as a formula."""
    return cell[:1] in ('=', '+', '-', '@', '\t', '\r') and not NUMBER.match(cell)


def check_csv_dir(out, names=None):
    """Every cell of every CSV in OUT (or of NAMES) is inert; returns the cells."""
    cells = []
    for path in sorted(glob.glob(os.path.join(out, '*.csv'))):
        if names and os.path.basename(path) not in names:
            continue
        with open(path, newline='', encoding='utf-8') as f:
            for row in csv.reader(f):
                for cell in row:
                    if live_cell(cell):
                        raise SystemExit('%s: live formula cell %r' % (path, cell))
                    cells.append(cell)
    return cells


BAD_TAGS = {'script', 'iframe', 'object', 'embed', 'form', 'base', 'svg', 'math', 'frame',
            'frameset', 'applet', 'link', 'input', 'button', 'textarea', 'video', 'audio', 'source'}


class PageChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in BAD_TAGS:
            self.bad.append('<%s>' % tag)
        for k, v in attrs:
            v = (v or '').strip().lower()
            if k.startswith('on'):
                self.bad.append('%s %s=' % (tag, k))
            if k in ('href', 'src', 'action', 'formaction', 'xlink:href') and \
                    (v.startswith('javascript:') or v.startswith('data:') or v.startswith('vbscript:')):
                self.bad.append('%s %s=%s' % (tag, k, v))
            if tag == 'img' and k == 'src' and not v.startswith('charts/'):
                self.bad.append('img src=%s' % v)
            if tag == 'meta' and k == 'http-equiv' and v == 'refresh':
                self.bad.append('meta refresh')
            if k == 'style' and ('expression(' in v or 'url(' in v):
                self.bad.append('%s style=%s' % (tag, v))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def check_html(path):
    """The page at PATH runs nothing; returns (raw html, visible text)."""
    with open(path, encoding='utf-8') as f:
        html = f.read()
    p = PageChecker()
    p.feed(html)
    p.close()
    if p.bad:
        raise SystemExit('%s: live markup: %s' % (path, sorted(set(p.bad))[:10]))
    return html, ''.join(p.text)


def check_charts(out, canary):
    """gnuplot scripts hold no data; data files no quote or control byte."""
    for gp in glob.glob(os.path.join(out, 'charts', '*.gp')):
        text = open(gp, encoding='utf-8', errors='replace').read()
        for bad in ('touch', canary, 'alert', 'system(', 'DROP TABLE', 'evil'):
            if bad in text:
                raise SystemExit('%s: data in a gnuplot script: %r' % (gp, bad))
    for dat in glob.glob(os.path.join(out, 'charts', '*.dat')):
        for line in open(dat, encoding='utf-8', errors='replace'):
            body = line.rstrip('\n')
            if '"' in body or any(ord(c) < 0x20 and c != '\t' for c in body):
                raise SystemExit('%s: unsafe label %r' % (dat, body))
