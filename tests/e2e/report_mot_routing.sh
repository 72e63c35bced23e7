# The report's moment-of-truth routing advice: "clearly above" only on at
# least --min-responses calls (10), with the whole interval above the MoT
# population.  Agents with one call each once got it because the few
# repeated calls agreed (an ICC of 1, a prior of m = 0, intervals of zero
# width); an agent with 12 good calls among poor ones still gets it.
. tests/e2e/lib.inc
$PY - "$T" <<'PYEOF' || fail "data"
import csv, sys
t = sys.argv[1]
for name, many in (('one', False), ('many', True)):
    w = csv.writer(open('%s/%s.csv' % (t, name), 'w', newline=''), lineterminator='\n')
    w.writerow(['response_id', 'responded_at', 'score', 'agent_id', 'interaction_type', 'handle_time_s'])
    k = 0
    for a in range(12):
        for j in range(12):
            k += 1
            w.writerow(['q%d' % k, '2026-10-%02dT10:00:00Z' % (1 + j), [10, 9, 7, 3][(a + j) % 4], 'b%02d' % a,
                        'routine', 200 + a])
    mot = [('b00', 10), ('b01', 10), ('b02', 0), ('b03', 2), ('b04', 10), ('b05', 1), ('b06', 3), ('b06', 3)]
    if many:
        mot += [('c%02d' % a, s) for a in range(6)
                for s in ([10] * 12 if a == 0 else [0, 2, 3, 9, 1, 5, 6, 0, 10, 4, 2, 3])]
    for a, s in mot:
        k += 1
        w.writerow(['q%d' % k, '2026-10-20T10:00:00Z', s, a, 'card_lost', 300])
PYEOF
echo '{"mot_types":["card_lost"]}' > "$T/c.json"
for d in one many; do
    "$CX" --config "$T/c.json" --db "$T/$d.db" --quiet import responses "$T/$d.csv" || fail "import $d"
    "$CX" --config "$T/c.json" --db "$T/$d.db" --quiet report --month 2026-10 --out "$T/o_$d" > /dev/null || fail "report $d"
done
$PY - "$T" <<'PYEOF' || fail "routing advice"
import html, re, sys
t = sys.argv[1]
def mot(d):
    s = re.sub(r'<[^>]+>', ' ', open('%s/o_%s/index.html' % (t, d), encoding='utf-8').read())
    s = re.sub(r'\s+', ' ', html.unescape(s))
    m = re.search(r'Moments of truth\. (.*?)(?: Tier | Agents? )', s)
    assert m, 'no moments-of-truth reading'
    return m.group(1)
one, many = mot('one'), mot('many')
assert 'b00 (MoT NPS 100.0, 1 call)' in one, one
assert 'clearly above)' not in one, one
assert 'None is clearly above the moment-of-truth population yet (on at least 10 calls' in one, one
assert 'c00 (MoT NPS 87.8, 12 calls, clearly above)' in many, many
assert 'b00 (MoT NPS 26.0, 1 call)' in many, many
assert many.count('clearly above)') == 1, many
print('ok')
PYEOF
echo "moment-of-truth routing: one-call agents listed without 'clearly above'; an agent of 12 good calls clearly above"
