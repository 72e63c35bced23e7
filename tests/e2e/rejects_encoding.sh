# One rule for rejected rows whatever the path: `stats --input`, import
# then `stats` (the store), `report` and `export rejects` all write the same
# rejects.csv rows, with U+FFFD for bytes that are not UTF-8 (the raw text
# once went out byte for byte from `stats --input` and repaired from the
# store).  The store itself keeps the raw bytes.
. tests/e2e/lib.inc
H='response_id,responded_at,score,comment,channel'
{ printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone'
  printf 'b,2026-01-05T10:00:00Z,5,caf\351,phone\n'
  printf 'c,2026-01-05T10:00:00Z,11,\376x,chat\n'
  printf 'ok2,2026-01-06T10:00:00Z,3,bad,chat\n'; } > "$T/in.csv"
"$CX" --quiet stats --input "$T/in.csv" --out "$T/direct"; rc=$?
[ $rc -eq 3 ] || fail "stats --input: exit $rc, want 3"
"$CX" --db "$T/db" --quiet import responses "$T/in.csv"; rc=$?
[ $rc -eq 3 ] || fail "import: exit $rc, want 3"
"$CX" --db "$T/db" --quiet stats --out "$T/store" || fail "stats from the store"
"$CX" --db "$T/db" --quiet report --out "$T/report" >/dev/null || fail "report"
"$CX" --db "$T/db" export rejects > "$T/export.csv" || fail "export rejects"
$PY - "$T" <<'PYEOF' || fail "rejects differ between paths"
import sys
t = sys.argv[1]
files = ['direct/rejects.csv', 'store/rejects.csv', 'report/rejects.csv', 'export.csv']
data = {f: open('%s/%s' % (t, f), 'rb').read() for f in files}
for f, b in data.items():
    b.decode('utf-8')                        # strict: every file is UTF-8
    assert b.count('\ufffd'.encode()) == 2, (f, b)
    assert b'caf\xef\xbf\xbd' in b, (f, b)
ref = data[files[0]]
for f in files[1:]:
    assert data[f] == ref, (f, data[f], ref)
PYEOF
echo "rejects.csv: same rows, UTF-8 with U+FFFD, from stats --input, the store, report and export"
