# One rule for rejected rows whatever the path: `stats --input`, import
# then `stats` (the store), `report` and `export rejects` all write the same
# rejects.csv rows, with U+FFFD for bytes that are not UTF-8 and for control
# characters a terminal acts on (ESC, BEL, DEL, C1; tab, CR and LF kept),
# so `export rejects` on a terminal cannot retitle or clear it (the raw text
# once went out byte for byte from `stats --input` and repaired from the
# store).  The store itself keeps the raw bytes.  The input sits under a
# path longer than 512 bytes: every path keeps `where` whole.
. tests/e2e/lib.inc
long="$T/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))/$(printf 'f%.0s' $(seq 200))"
mkdir -p "$long" || fail "mkdir"
H='response_id,responded_at,score,comment,channel'
{ printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone'
  printf 'b,2026-01-05T10:00:00Z,5,caf\351,phone\n'
  printf 'c,2026-01-05T10:00:00Z,11,\376x,chat\n'
  printf 'e,2026-01-05T10:00:00Z,x\033]0;TITLE\007\033]52;c;ZWNobw==\007\033[2J,del\177c1\302\233,"a\tb\r\nc"\n'
  printf 'ok2,2026-01-06T10:00:00Z,3,bad,chat\n'; } > "$long/in.csv"
"$CX" --quiet stats --input "$long/in.csv" --out "$T/direct"; rc=$?
[ $rc -eq 3 ] || fail "stats --input: exit $rc, want 3"
"$CX" --db "$T/db" --quiet import responses "$long/in.csv"; rc=$?
[ $rc -eq 3 ] || fail "import: exit $rc, want 3"
"$CX" --db "$T/db" --quiet stats --out "$T/store" || fail "stats from the store"
"$CX" --db "$T/db" --quiet report --out "$T/report" >/dev/null || fail "report"
"$CX" --db "$T/db" export rejects > "$T/export.csv" || fail "export rejects"
$PY - "$T" "$long/in.csv" <<'PYEOF' || fail "rejects differ between paths"
import sys
t, path = sys.argv[1], sys.argv[2]
files = ['direct/rejects.csv', 'store/rejects.csv', 'report/rejects.csv', 'export.csv']
data = {f: open('%s/%s' % (t, f), 'rb').read() for f in files}
for f, b in data.items():
    b.decode('utf-8')                        # strict: every file is UTF-8
    # two bytes not UTF-8, and ESC x3, BEL x2, DEL and CSI (C1) in row e;
    # the tab, CR and LF of its quoted field kept
    assert b.count("\ufffd".encode()) == 9, (f, b)
    assert not any(c in b for c in (b'\x1b', b'\x07', b'\x7f', b'\xc2\x9b')), (f, b)
    assert b'a\tb\r\nc' in b, (f, b)
    assert b'caf\xef\xbf\xbd' in b, (f, b)
    assert (path + ':3').encode() in b, (f, 'where cut short')
ref = data[files[0]]
for f in files[1:]:
    assert data[f] == ref, (f, data[f], ref)
PYEOF
echo "rejects.csv: same rows, UTF-8 with U+FFFD (control characters too), from stats --input, the store, report and export"
