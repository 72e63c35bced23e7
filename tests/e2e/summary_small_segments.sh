# The summary's findings are honest about small segments (docs/methods.md
# §Summary): one detractor in a segment of its own is no finding (it was
# "137 points below the rest, adjusted p < 0.001" while its own interval
# spans -98.5 to 48.5), neither at the default --min-responses (too small
# to test) nor with --min-responses 1 (tested, not significant); segments
# without a real difference (500 random levels, every customer) are
# significant about as often as the false-discovery rate allows, not by
# the hundred; and the real channel differences of gen-sample are still
# found.
. tests/e2e/lib.inc
"$GEN" --rows 5000 --seed 3 --out "$T/a" --responses-only >/dev/null || fail "gen-sample"
"$GEN" --rows 20000 --seed 3 --out "$T/b" --responses-only >/dev/null || fail "gen-sample"
$PY - "$T" <<'PYEOF' || fail "fixture"
import csv, random, sys
t = sys.argv[1]
# a: the first detractor of October in a store of its own (kiosk)
r = list(csv.reader(open(t + '/a/responses.csv', newline='')))
h = r[0] + ['store']
si, ti, done = h.index('score'), h.index('responded_at'), False
for row in r[1:]:
    s = 'main'
    if not done and row[ti].startswith('2026-10') and int(row[si]) <= 6:
        s, done = 'kiosk', True
    row.append(s)
csv.writer(open(t + '/a.csv', 'w', newline='')).writerows([h] + r[1:])
# b: a random 500-level attribute, and no agents (their tests are not at issue)
random.seed(7)
r = list(csv.reader(open(t + '/b/responses.csv', newline='')))
h = r[0] + ['rnd']
ai = h.index('agent_id')
for row in r[1:]:
    row[ai] = ''
    row.append('z%03d' % random.randrange(500))
csv.writer(open(t + '/b.csv', 'w', newline='')).writerows([h] + r[1:])
PYEOF
"$CX" --db "$T/a.db" --quiet import responses "$T/a.csv" || fail "import a"
"$CX" --db "$T/b.db" --quiet import responses "$T/b.csv" || fail "import b"
grep -q '^2026-10,store,kiosk,1,0,0,1,' <("$CX" --db "$T/a.db" --quiet stats --month 2026-10 --by store \
    --out "$T/s" >/dev/null && cat "$T/s/nps.csv") || fail "the fixture has no one-detractor kiosk"

# "What stands out": the findings list and the counts under it, as text
findings() {
    $PY - "$1/index.html" <<'PYEOF'
import html, re, sys
s = open(sys.argv[1], encoding='utf-8').read()
i, j = s.find('What stands out'), s.find('</section>', s.find('What stands out'))
print(re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', s[i:j]))))
PYEOF
}
# "TESTED SIGNIFICANT" from the page's counts
counts() {
    $PY - "$1/index.html" <<'PYEOF'
import html, re, sys
t = re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', open(sys.argv[1], encoding='utf-8').read())))
m = re.search(r'([0-9,]+) comparisons? tested: ([0-9,]+) (?:is|are) significant', t)
if m:
    print(m.group(1).replace(',', ''), m.group(2).replace(',', ''))
else:
    m = re.search(r'No statistically significant difference this month \(([0-9,]+) comparisons? tested', t)
    print(m.group(1).replace(',', '') if m else -1, 0)
PYEOF
}

for min in 10 1; do
    "$CX" --db "$T/a.db" --quiet report --month 2026-10 --by store --min-responses $min --out "$T/a$min" \
        >/dev/null 2>"$T/err" || { cat "$T/err"; fail "report a (--min-responses $min)"; }
    f=$(findings "$T/a$min")
    case "$f" in
    *kiosk* | *main*) fail "--min-responses $min: one detractor is a finding: $f" ;;
    esac
    if [ $min = 10 ]; then
        # the segments table: kiosk and its rest are too small to test
        $PY - "$T/a$min/index.html" <<'PYEOF' || fail "the segments table marks a segment too small to test"
import html, re, sys
t = re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', open(sys.argv[1], encoding='utf-8').read())))
i = t.find(' kiosk ', t.find('By store'))
row = t[i:i + 120]
sys.exit(0 if 'not tested' in row and 'lower' not in row else 'kiosk row: ' + row)
PYEOF
        case "$f" in *" 2 comparisons with fewer than 10 responses on a side were not tested."*) ;;
        *) fail "the page does not say that the small groups were not tested: $f" ;; esac
    fi
done

# No real difference: a random attribute with 500 levels, and every
# customer, tested down to 2 responses a side.  BH at 5% keeps the share
# of chance results among those called significant at 5%; with nothing
# real, about none should be.
for by in rnd customer_id; do
    "$CX" --db "$T/b.db" --quiet report --month 2026-10 --by $by --min-responses 2 --out "$T/b_$by" \
        >/dev/null 2>"$T/err" || { cat "$T/err"; fail "report b --by $by"; }
    read -r tested sig <<<"$(counts "$T/b_$by")"
    [ "$tested" -ge 100 ] || fail "--by $by: $tested comparisons tested, want at least 100"
    [ $((sig * 20)) -le "$tested" ] ||
        fail "--by $by: $sig of $tested comparisons significant without a real difference"
    echo "--by $by (no real difference): $sig of $tested significant"
done

# Real differences are still found: gen-sample's chat (+0.5) and web
# (-0.5) channel effects on the score's latent scale.
"$CX" --db "$T/b.db" --quiet report --month 2026-10 --by channel --out "$T/b_ch" >/dev/null 2>"$T/err" ||
    { cat "$T/err"; fail "report b --by channel"; }
f=$(findings "$T/b_ch")
case "$f" in *"chat ( channel )"*) ;; *) fail "chat is no longer a finding: $f" ;; esac
case "$f" in *"web ( channel )"*) ;; *) fail "web is no longer a finding: $f" ;; esac
echo "summary_small_segments: one response is no finding; chance differences stay chance; real ones are found"
