# Verbatims on generated data with planted themes and planted unlabelled
# moments of truth (gen-sample --verbatims, verbatims_truth.csv): the
# planted themes are among the top 10 of their language and direction, the
# flags reach a recall and precision floor, every comment gets one flags
# row, the store and --input agree, and comments shown are masked.
. tests/e2e/lib.inc
"$GEN" --rows 40000 --seed 5 --verbatims --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
printf '{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"]}\n' > "$T/cfg.json"
# two comments with personal data that mention a planted theme
printf 'x1,2026-10-02T10:00:00Z,,1,"hidden fees, write to jo.doe@example.com or call +44 20 7946 0958",,,,,billing_question,,,\n' >> "$T/d/responses.csv"
printf 'x2,2026-10-02T10:00:00Z,,2,"hidden fees on card 4111 1111 1111 1111",,,,,billing_question,,,\n' >> "$T/d/responses.csv"
"$CX" --config "$T/cfg.json" --quiet verbatims --input "$T/d/responses.csv" --out "$T/o" > "$T/terminal.txt" \
    || fail "verbatims --input"
$PY - "$T/d" "$T/o" > "$T/summary.txt" <<'PYEOF' || { cat "$T/summary.txt"; fail "planted themes or flags not recovered"; }
import csv, sys
d, o = sys.argv[1], sys.argv[2]
truth = {r['response_id']: r for r in csv.DictReader(open(d + '/verbatims_truth.csv', newline='', encoding='utf-8'))}
resp = {r['response_id']: r for r in csv.DictReader(open(d + '/responses.csv', newline='', encoding='utf-8'))}
flags = list(csv.DictReader(open(o + '/verbatim_flags.csv', newline='', encoding='utf-8')))
themes = list(csv.DictReader(open(o + '/themes.csv', newline='', encoding='utf-8')))
# nothing lost: one flags row per response with a comment
with_comment = [k for k, r in resp.items() if r['comment'] != '']
assert len(flags) == len(with_comment), (len(flags), len(with_comment))
assert len({f['response_id'] for f in flags}) == len(flags), 'duplicate flags rows'
# themes: planted ones in the top 10 of their language and direction
planted = {}
for t in truth.values():
    if t['theme']:
        planted[(t['language'], t['theme_class'], t['theme'])] = planted.get((t['language'], t['theme_class'], t['theme']), 0) + 1
found = 0
for (lang, cls, name), n in sorted(planted.items()):
    rows = [r for r in themes if r['scope'] == 'all' and r['language'] == lang and
            (float(r['log_ratio']) > 0) == (cls == 'detractor')]
    top = [r['theme'] for r in rows[:10]]
    other = [r['theme'] for r in themes if r['scope'] == 'all' and r['language'] == lang and
             (float(r['log_ratio']) > 0) != (cls == 'detractor')]
    ok = name in top
    found += ok
    assert name not in other, f'{name} listed in the wrong direction'
    print(f'{lang} {cls:9s} {name:20s} planted in {n:5d}: ' + (f'rank {top.index(name) + 1}' if ok else 'MISSING'))
theme_recall = found / len(planted)
# unlabelled moments of truth
fl = {f['response_id']: f for f in flags}
want = {k for k, t in truth.items() if t['story'] == '1' and t['routine'] == '1'}
got = {k for k, f in fl.items() if f['unlabelled_mot'] == 'true'}
tp = len(want & got)
recall, precision = tp / len(want), tp / len(got)
labelled = [k for k, t in truth.items() if t['story'] == '1' and t['routine'] == '0']
assert labelled and all(fl[k]['unlabelled_mot'] == 'false' for k in labelled), 'labelled type flagged'
# language of generated comments
lang_ok = sum(fl[k]['language'] == t['language'] for k, t in truth.items()) / len(truth)
lang_crossed = sum(fl[k]['language'] not in (t['language'], 'und') for k, t in truth.items())
print(f'themes recall {theme_recall:.3f}; flags: {len(want)} planted, recall {recall:.3f}, '
      f'precision {precision:.3f}; language right {lang_ok:.3f}, crossed {lang_crossed}')
assert theme_recall == 1.0
assert recall >= 0.95 and precision >= 0.95, (recall, precision)
assert lang_ok >= 0.97 and lang_crossed == 0
PYEOF
# the same from the store
"$CX" --db "$T/s.db" --quiet import responses "$T/d/responses.csv" --source csv || fail "import"
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet verbatims --out "$T/s" >/dev/null || fail "verbatims (store)"
cmp "$T/o/themes.csv" "$T/s/themes.csv" || fail "themes differ between --input and the store"
cmp "$T/o/verbatim_flags.csv" "$T/s/verbatim_flags.csv" || fail "flags differ between --input and the store"
# comments shown are masked; the store keeps the original
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet verbatims --theme "hidden fees" > "$T/hf.txt" || fail "--theme"
grep -q '^x1 .*\[email\].*\[phone\]' "$T/hf.txt" || fail "x1 not listed masked"
grep -q '^x2 .*\[card\]' "$T/hf.txt" || fail "x2 not listed masked"
if grep -q 'jo.doe\|7946\|4111' "$T/hf.txt" "$T/terminal.txt"; then fail "personal data shown"; fi
"$CX" --db "$T/s.db" export responses | grep -q 'jo.doe@example.com' || fail "store lost the original"
# the statistics run has the same analysis: the same tables for one month
# (with the month before for prev_mentions), and the report's section
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet verbatims --month 2026-09 --out "$T/s9" >/dev/null \
    || fail "verbatims --month"
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet report --month 2026-09 --out "$T/r" >/dev/null || fail "report"
cmp "$T/s9/themes.csv" "$T/r/themes.csv" || fail "report's themes.csv differs from verbatims --out"
cmp "$T/s9/verbatim_flags.csv" "$T/r/verbatim_flags.csv" || fail "report's verbatim_flags.csv differs"
awk -F, 'NR > 1 && $12 == "" { bad = 1 } END { exit bad }' "$T/r/themes.csv" || fail "prev_mentions empty with --month"
$PY - "$T/r/index.html" "$T/r/themes.csv" <<'PYEOF' || fail "What customers say section"
import csv, html, sys
page = open(sys.argv[1], encoding='utf-8').read()
i = page.index('<section id="say">')
sec = html.unescape(page[i:page.index('</section>', i)])
themes = [r for r in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')) if r['scope'] == 'all']
for lang in ('en', 'es'):
    for det in (True, False):
        top = [r['theme'] for r in themes if r['language'] == lang and (float(r['log_ratio']) > 0) == det][:5]
        assert len(top) == 5, (lang, det, top)
        for t in top:
            assert '<b>' + t + '</b>' in sec, t
assert 'Moments of truth nobody labelled' in sec
assert 'New or growing detractor themes' in sec or 'No detractor theme is new' in sec
assert 'jo.doe' not in page and '4111 1111' not in page and '7946 0958' not in page, 'personal data in the page'
PYEOF
# segments of a customer attribute (joined by the run) get their themes too
"$CX" --db "$T/s.db" --quiet import customers "$T/d/customers.csv" || fail "import customers"
"$CX" --config "$T/cfg.json" --db "$T/s.db" --quiet stats --by tier --tables verbatims --out "$T/tier" \
    || fail "stats --by tier"
grep -q '^tier=consumer,en,' "$T/tier/themes.csv" || fail "no themes for the segment tier=consumer"
# many flags rows (over 9 MB) written as the comments stream, through a temporary
# file copied into verbatim_flags.csv: the same bytes as `cxpulse verbatims` writes
"$GEN" --rows 400000 --seed 6 --verbatims --responses-only --out "$T/big" >/dev/null 2>&1 || fail "gen-sample 400k"
"$CX" --config "$T/cfg.json" --quiet stats --input "$T/big/responses.csv" --tables verbatims --out "$T/bs" \
    || fail "stats --tables verbatims"
"$CX" --config "$T/cfg.json" --quiet verbatims --input "$T/big/responses.csv" --out "$T/bv" >/dev/null \
    || fail "verbatims 400k"
[ "$(wc -c < "$T/bs/verbatim_flags.csv")" -gt 9000000 ] || fail "flags too small to leave memory"
cmp "$T/bs/verbatim_flags.csv" "$T/bv/verbatim_flags.csv" || fail "spooled flags differ"
cmp "$T/bs/themes.csv" "$T/bv/themes.csv" || fail "themes differ between stats and verbatims"
n=$(grep -c . "$T/hf.txt")
cat "$T/summary.txt"
echo "planted themes and moments of truth recovered ($(tail -n 1 "$T/summary.txt")); --theme lists $n comments, masked; stats, report and verbatims agree"
