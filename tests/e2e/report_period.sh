# The report covers one month: by default the latest complete month (data
# that runs into the current month reports the month before); agents,
# peak-end and spend take the trailing --window (3 months by default),
# moments of truth the month; nps.csv keeps every month.  Counts are
# checked against the store's own export, month by month, in Python.
. tests/e2e/lib.inc
now=$(date -u +%Y-%m)
y=${now%-*}; m=${now#*-}; m=${m#0}
start=$(( y * 12 + m - 1 - 11 ))
start=$(printf '%04d-%02d' $((start / 12)) $((start % 12 + 1)))
cat >"$T/cfg.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"], "moment_scale": [1, 5]}
JSON
C() { "$CX" --config "$T/cfg.json" --db "$T/db" --quiet "$@"; }
"$GEN" --rows 6000 --seed 5 --start "$start" --months 12 --out "$T/d" >/dev/null || fail "gen-sample"
C import responses "$T/d/responses.csv" || fail "import"
C export responses >"$T/export.csv" || fail "export"
C report --out "$T/r3" >/dev/null || fail "report"
C report --window 12m --out "$T/r12" >/dev/null || fail "report --window 12m"
expect_rc 2 C report --window 5m --out "$T/bad" 2>"$T/err"
grep -q "window" "$T/err" || fail "no message for --window 5m"
C agents --window 12m >"$T/board" || fail "agents"
$PY - "$T" "$now" <<'PYEOF' || fail "period counts"
import csv, sys
from datetime import datetime, timezone
t, now = sys.argv[1], sys.argv[2]
def key(s): return int(s[:4]) * 12 + int(s[5:7]) - 1
rows = list(csv.DictReader(open(t + '/export.csv', newline='', encoding='utf-8')))
for r in rows:
    r['k'] = key(r['responded_at'])
latest = max(r['k'] for r in rows)
assert latest == key(now), 'the data should run into the current month'
M = latest - 1                                  # the latest complete month
mot = {"card_lost", "fraud_alert", "flight_cancelled", "outage"}
def agents_n(out):
    return sum(int(a['n']) for a in csv.DictReader(open(out + '/agents.csv', newline='')))
def want_agents(w):
    return sum(1 for r in rows if r['agent_id'] and M - w < r['k'] <= M)
got3, got12 = agents_n(t + '/r3'), agents_n(t + '/r12')
assert got3 == want_agents(3), ('agents, 3 months', got3, want_agents(3))
assert got12 == want_agents(12), ('agents, 12 months', got12, want_agents(12))
pe = {(r['dimension'], r['segment']): r for r in csv.DictReader(open(t + '/r3/peak_end.csv', newline=''))}
want_pe = sum(1 for r in rows if r['moments'] and M - 3 < r['k'] <= M)
assert int(pe[('all', 'all')]['n']) == want_pe, ('peak-end n', pe[('all', 'all')]['n'], want_pe)
motn = sum(int(r['n']) for r in csv.DictReader(open(t + '/r3/moments_of_truth.csv', newline='')))
want_mot = sum(1 for r in rows if r['interaction_type'] in mot and r['k'] == M)
assert motn == want_mot, ('moments of truth n', motn, want_mot)
months = {r['period'] for r in csv.DictReader(open(t + '/r3/nps.csv', newline=''))}
assert len(months) == 13, ('nps.csv keeps every month and all', sorted(months))
names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
         'September', 'October', 'November', 'December']
html = open(t + '/r3/index.html', encoding='utf-8').read()
title = '%s %d' % (names[M % 12], M // 12)
assert title in html.split('</h1>')[0], ('title should name', title)
print('report month', title, 'agents', got3, got12, 'peak-end', want_pe, 'MoT', want_mot)
PYEOF
grep -q "^tier" "$T/board" || fail "agents board has no tier column"
echo "report covers the latest complete month; agents, peak-end by --window; MoT by month"
