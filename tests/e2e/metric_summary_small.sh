# The findings of a CSAT or CES report are honest about small segments
# (docs/methods.md "A segment against the rest of its month"): one
# dissatisfied answer in a store of its own is no finding at the default
# --min-responses (it was "95.2 points below the rest", p = 1.3e-5 by the
# pooled z-test: one answer of the month's rare class), and the page says
# how many comparisons were too small to test; ten CES answers all of 4
# against a month at mean 3.35 are no finding either (Welch's test, with
# the segment's variance 0, gave p = 9e-14; the pooled t gives 0.22).
# The segments table of a dimension with more than 200 segments keeps
# the 200 largest by answers and says so.
. tests/e2e/lib.inc
$PY - "$T/m.csv" <<'PY'
import sys
rows = ["response_id,responded_at,score,metric,store,queue"]
# CSAT, October 2026: 400 answers, 380 satisfied; the kiosk's one answer
# is a 1.  queue: q000..q249 one answer each (they sort first), zbig1 and
# zbig2 30 each, the rest without a queue.
for i in range(400):
    store = "kiosk" if i == 0 else "main"
    score = 1 if i == 0 or i % 20 == 0 else 4 + i % 2
    queue = "q%03d" % (i - 1) if 1 <= i <= 250 else "zbig%d" % (1 + i % 2) if 250 < i <= 310 else ""
    rows.append("c%d,2026-10-%02dT10:00:00Z,%d,csat,%s,%s" % (i, 1 + i % 28, score, store, queue))
# CES: kiosk ten answers of 4; main 60, 80, 90, 70, 50, 30, 20 answers of 1..7
k = 0
for s, n in [(4, 10)] + list(zip(range(1, 8), (60, 80, 90, 70, 50, 30, 20))):
    for _ in range(n):
        rows.append("e%d,2026-10-%02dT11:00:00Z,%d,ces,%s," % (k, 1 + k % 28, s, "kiosk" if k < 10 else "main"))
        k += 1
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
# the fixture: a kiosk of one dissatisfied CSAT answer, the tables' own test
"$CX" --quiet stats --input "$T/m.csv" --metric csat --month 2026-10 --by store --out "$T/s" >/dev/null ||
    fail "stats --input"
grep -q '^2026-10,store,kiosk,1,0,' "$T/s/csat.csv" || fail "the fixture has no one-answer kiosk: $(cat "$T/s/csat.csv")"
"$CX" --db "$T/db" --quiet import responses "$T/m.csv" || fail "import"

# "What stands out": the findings list and the counts under it, as text
findings() {
    $PY - "$1/index.html" <<'PYEOF'
import html, re, sys
s = open(sys.argv[1], encoding='utf-8').read()
i = s.find('What stands out'); j = s.find('</section>', i)
print(re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', s[i:j]))))
PYEOF
}

for metric in csat ces; do
    "$CX" --db "$T/db" --quiet report --metric $metric --month 2026-10 --by store --out "$T/$metric" \
        >/dev/null 2>"$T/err" || { cat "$T/err"; fail "report --metric $metric"; }
    f=$(findings "$T/$metric")
    case "$f" in *kiosk* | *main*) fail "$metric: a small or one-valued segment is a finding: $f" ;; esac
    case "$f" in *"No statistically significant difference"*) ;; *) fail "$metric: findings: $f" ;; esac
done
f=$(findings "$T/csat")
case "$f" in *"(0 comparisons tested). 2 comparisons with fewer than 10 responses on a side were not tested."*) ;;
*) fail "csat: the page does not say that the small segments were not tested: $f" ;; esac
f=$(findings "$T/ces")
case "$f" in *"(2 comparisons tested)"*) ;; *) fail "ces: kiosk against main is not tested: $f" ;; esac

# the segments table: 252 queues, the 200 largest shown (zbig1 and zbig2
# sort last by name but have the most answers)
"$CX" --db "$T/db" --quiet report --metric csat --month 2026-10 --by queue --out "$T/q" >/dev/null 2>"$T/err" ||
    { cat "$T/err"; fail "report --by queue"; }
$PY - "$T/q/index.html" <<'PYEOF' || fail "the CSAT segments table does not keep the largest"
import html, re, sys
s = open(sys.argv[1], encoding='utf-8').read()
i = s.find('<section id="segments">'); sec = s[i:s.find('</section>', i)]
rows = re.findall(r'<tr><td[^>]*>(?:<[^>]+>)*([^<]*)(?:<[^>]+>)*</td><td[^>]*>(\d+)</td>', sec)
names = [n for n, _ in rows]
ok = len(rows) == 200 and names[:2] == ['zbig1', 'zbig2'] and [int(c) for _, c in rows[:2]] == [30, 30]
ok = ok and names[2:] == ['q%03d' % k for k in range(198)]  # equals keep the table's order
text = re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', sec)))
ok = ok and 'Showing 200 of 252 segments (the largest); every segment is in csat.csv.' in text
if not ok:
    print(len(rows), rows[:3], rows[-2:], text[-300:])
    sys.exit(1)
PYEOF
echo "metric_summary_small: a one-answer or one-valued segment is no CSAT/CES finding; the segments table keeps the 200 largest"
