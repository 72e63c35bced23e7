#!/bin/bash
# Unlabelled moments of truth (routine interaction type, strongly charged
# comment) in the moments-of-truth table and the agents' MoT figures, on
# gen-sample --verbatims data (planted stories in routine calls):
# - moments_of_truth.csv has a row `unlabelled` whose n is the number of
#   responses verbatim_flags.csv flags, and whose every figure (NPS and
#   interval, positives, negatives, spend_n and the two spend shares)
#   matches the independent Python reference (tests/e2e/cx_reference.py,
#   numpy/scipy, fed the flagged ids from verbatim_flags.csv) to 1e-6; its
#   NPS is also recomputed here from the exported scores;
# - agents.csv matches tests/e2e/agents_reference.py counting the flagged
#   responses as MoT ones (and does not without them): mot_n includes them;
# - the report names the row with its config label.
export LC_ALL=C TZ=UTC
: "${CXPULSE_ROOT:=$PWD}"
. tests/e2e/lib.inc
"$GEN" --rows 20000 --seed 4 --verbatims --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
cat > "$T/cfg.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"],
 "moment_scale": [1, 5], "labels": {"unlabelled": "Told us in words"}}
JSON
cx() { "$CX" --quiet --config "$T/cfg.json" --db "$T/s.db" "$@"; }
for kind in responses customers spend; do
    cx import "$kind" "$T/d/$kind.csv" >/dev/null || fail "import $kind"
done
cx export responses > "$T/export.csv" || fail "export"
month=2026-09
cx stats --out "$T/all" >/dev/null || fail "stats"
cx stats --month "$month" --out "$T/m" >/dev/null || fail "stats --month"
for o in all m; do
    args=(); [ "$o" = m ] && args=(--month "$month")
    $PY tests/e2e/cx_reference.py compare --data "$T/d" --config "$T/cfg.json" --out "$T/$o" \
        ${args[@]+"${args[@]}"} > "$T/ref_$o.txt" || { cat "$T/ref_$o.txt"; fail "cx reference ($o)"; }
    $PY - "$T/$o" "$T/export.csv" > "$T/row_$o.txt" <<'PYEOF' || { cat "$T/row_$o.txt"; fail "unlabelled row ($o)"; }
import csv, sys
out, export = sys.argv[1], sys.argv[2]
flags = [r for r in csv.DictReader(open(out + '/verbatim_flags.csv', newline='', encoding='utf-8'))
         if r['unlabelled_mot'] == 'true']
mot = {r['interaction_type']: r for r in csv.DictReader(open(out + '/moments_of_truth.csv', newline='', encoding='utf-8'))}
assert 'unlabelled' in mot, 'no unlabelled row'
row = mot['unlabelled']
assert int(row['n']) == len(flags) > 10, (row['n'], len(flags))
ids = {(f['source'], f['response_id']) for f in flags}
scores = [int(r['score']) for r in csv.DictReader(open(export, newline='', encoding='utf-8'))
          if (r['source'], r['response_id']) in ids]
assert len(scores) == len(flags)
nps = 100.0 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
assert abs(float(row['nps']) - nps) <= 1e-6, (row['nps'], nps)
assert int(row['spend_n']) > 0
print(f"unlabelled: n {row['n']} = flagged {len(flags)}, NPS {float(row['nps']):.4f} (reference {nps:.4f}), "
      f"spend_n {row['spend_n']}")
PYEOF
done
# agents: the flagged responses count as moments of truth
$PY tests/e2e/agents_reference.py compare "$T/export.csv" "$T/all/agents.csv" --config "$T/cfg.json" \
    --flags "$T/all/verbatim_flags.csv" || fail "agents.csv with the flags"
$PY tests/e2e/agents_reference.py compare "$T/export.csv" "$T/m/agents.csv" --config "$T/cfg.json" \
    --month "$month" --flags "$T/m/verbatim_flags.csv" || fail "agents.csv --month with the flags"
if $PY tests/e2e/agents_reference.py compare "$T/export.csv" "$T/all/agents.csv" --config "$T/cfg.json" \
        >/dev/null 2>&1; then
    fail "agents.csv matches the reference without the flags: they are not counted"
fi
mot_n=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "mot_n") c = i; next } { s += $c } END { print s }' \
        "$T/all/agents.csv")
# the report's moments-of-truth section shows the row with its label
cx report --month "$month" --out "$T/r" >/dev/null || fail "report"
$PY - "$T/r/index.html" <<'PYEOF' || fail "report: unlabelled row"
import html, sys
page = open(sys.argv[1], encoding='utf-8').read()
i = page.index('<section id="moments-of-truth">')
sec = page[i:page.index('</section>', i)]
assert '">Told us in words</td>' in sec, 'row label'
assert 'routine responses were moments of truth by what the customer wrote' in sec
PYEOF
cat "$T/row_all.txt" "$T/row_m.txt"
echo "unlabelled moments of truth: $(cat "$T/row_all.txt"); --month $month: $(cat "$T/row_m.txt"); agents' mot_n total $mot_n matches the reference with the flags; report row labelled"
