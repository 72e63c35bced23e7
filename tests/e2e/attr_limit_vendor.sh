# The store's limit of 64 attribute names holds for vendor records too: a
# CSV import brings prop_0..prop_39, then a Delighted page brings records
# with more: those within 64 names land, the one whose names would take
# the store to 65 is rejected (kept in the rejects with the limit, the
# store's count and its new name), a later record with known names lands,
# and the store's export imports again byte for byte.
. tests/e2e/ingest_lib.inc
$PY - "$T" <<'PYEOF'
import csv, json, sys
t = 1767225600
with open(sys.argv[1] + '/a.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['response_id', 'responded_at', 'score'] + ['prop_%d' % k for k in range(40)])
    w.writerow(['c1', '2026-01-01T00:00:00Z', '9'] + ['v%d' % k for k in range(40)])
def rec(i, props):
    return {'id': i, 'created_at': t, 'updated_at': t, 'score': 8,
            'person_properties': {'Prop %d' % k if isinstance(k, int) else k: 'x' for k in props}}
recs = [rec('v1', range(30, 54)),                    # 14 new: 54
        rec('v2', range(54, 64)),                    # 10 new: 64, the limit
        rec('v3', list(range(10)) + ['Extra']),      # 1 new: 65, rejected
        rec('v4', range(5))]                         # none new: lands
open(sys.argv[1] + '/records.json', 'w').write(json.dumps(recs))
PYEOF
"$CX" --db "$T/h.db" --quiet import responses "$T/a.csv" || fail "import a.csv"
serve_records "$T/records.json"
"$CX" --config "$T/h.json" --db "$T/h.db" --quiet ingest 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "ingest: exit $rc, want 3 (one record rejected): $(head -c 300 "$T/err")"
"$CX" --db "$T/h.db" export responses > "$T/x1.csv" || fail "export"
"$CX" --db "$T/h.db" export rejects > "$T/rejects.csv" || fail "export rejects"
$PY - "$T/x1.csv" "$T/rejects.csv" <<'PYEOF' || fail "vendor records and the limit"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert sorted(r['response_id'] for r in rows) == ['c1', 'v1', 'v2', 'v4'], [r['response_id'] for r in rows]
names = [k for k in rows[0] if k.startswith('prop_') or k == 'extra']
assert len(names) == 64 and 'extra' not in names, names
rej = list(csv.DictReader(open(sys.argv[2], newline='')))
assert len(rej) == 1 and '"v3"' in rej[0]['raw'], rej
want = ("its attribute names would take the store past the limit: 65 attribute names in the store's responses"
        " would be more than the limit of 64 (it holds 64; an export writes one column per name); the 1 new: 'extra'")
assert rej[0]['reason'] == want, rej[0]['reason']
PYEOF
"$CX" --db "$T/b.db" --quiet import responses "$T/x1.csv" 2> "$T/err2" || fail "re-import of the export: $(cat "$T/err2")"
"$CX" --db "$T/b.db" export responses > "$T/x2.csv" || fail "export of the re-import"
cmp -s "$T/x1.csv" "$T/x2.csv" || fail "export -> import -> export differs"
echo "vendor records hold the store to 64 attribute names (the 65th rejected, named, kept); the export imports again byte for byte"
