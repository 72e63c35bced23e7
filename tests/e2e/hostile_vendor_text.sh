# What a vendor sends (ingest/fieldmap.c, docs/security.md) is checked
# like an imported row.  A record with invalid UTF-8 in a text field or a
# property name, a "\u0000" escape or a UTF-16 surrogate escape without its
# pair in one, or a numeric time outside 0000..9999, is rejected (kept
# with "page N"), a property with an empty name is dropped, the good
# record lands -- so that the store's export imports again (exit 0) and
# round-trips byte for byte.
. tests/e2e/ingest_lib.inc
$PY - "$T/records.json" <<'PYEOF'
import os, sys
recs = [b'{"id":"u1","created_at":1767225600,"score":9,"comment":"caf\xe9"}',
        b'{"id":"u2","created_at":1767225601,"score":9,"person_properties":{"Re\xffgion":"north"}}',
        b'{"id":"u3","created_at":1767225602,"score":9,"person_properties":{"Agent":"\xc0\xaf"}}',
        b'{"id":"t1","created_at":999999999999,"score":9}',
        b'{"id":"t2","created_at":1767225603,"updated_at":-99999999999,"score":9}',
        b'{"id": "t3", "created_at": 999999999999, "score": 9}',   # spaced: kept so
        b'{"id":"e1","created_at":1767225604,"score":7,"person_properties":{"":"x","Region":"south"}}',
        b'{"id":"ok1","created_at":1767225605,"score":10,"comment":"fine"}',
        # "\u0000" would cut the text (two ids made one, a comment cut):
        # rejected, like a CSV row with a NUL
        b'{"id":"n\\u0000A","created_at":1767225606,"score":9}',
        b'{"id":"n\\u0000B","created_at":1767225607,"score":2}',
        b'{"id":"n3","created_at":1767225608,"score":7,"comment":"ok\\u0000 and the rest"}',
        # a surrogate without its pair: that record rejected, not the page
        b'{"id":"s1","created_at":1767225609,"score":8,"comment":"cut emoji \\ud83d"}',
        b'{"id":"s2","created_at":1767225610,"score":8,"comment":"lone low \\ude00 x"}',
        # a whole pair and an escaped backslash before u0000 are text
        b'{"id":"ok2","created_at":1767225611,"score":9,"comment":"smile \\ud83d\\ude00 path C:\\\\u0000"}',
        # the token escaped letter by letter in a rejected record: its
        # bytes hide it from the masking, so the reject keeps the record
        # printed again, the token masked
        b'{"id":"k1","created_at":999999999999,"score":9,"comment":"' +
        ''.join('\\u%04x' % ord(ch) for ch in os.environ['CX_TEST_TOKEN']).encode() + b'"}']
open(sys.argv[1], 'wb').write(b'[' + b','.join(recs) + b']')
open(sys.argv[1] + '.lines', 'wb').write(b'\n'.join(recs) + b'\n')
PYEOF
serve_records "$T/records.json"
"$CX" --config "$T/h.json" --db "$T/h.db" --quiet ingest 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "ingest: exit $rc, want 3 (some records rejected): $(head -c 300 "$T/err")"
"$CX" --db "$T/h.db" export responses > "$T/export.csv" || fail "export"
ids=$(sed 1d "$T/export.csv" | cut -d, -f2 | sort | tr '\n' ' ')
[ "$ids" = "e1 ok1 ok2 " ] || fail "stored records: '$ids', want e1 ok1 ok2 (the rest rejected)"
n=$("$CX" --db "$T/h.db" export rejects | $PY -c 'import csv,sys; print(sum(1 for r in csv.DictReader(sys.stdin) if r["where"].startswith("page")))')
[ "$n" -eq 12 ] || fail "$n rejects kept, want 12"
reasons=$("$CX" --db "$T/h.db" export rejects | $PY -c 'import csv,sys; print("|".join(sorted(set(r["reason"] for r in csv.DictReader(sys.stdin)))))')
case "$reasons" in *"a NUL (\\u0000, or its overlong bytes C0 80) in a text field"*"a UTF-16 surrogate without its pair (escaped, or as bytes ED A0-BF) in a text field"*) ;;
    *) fail "the reasons do not say NUL and lone surrogate: $reasons" ;; esac
# each reject's raw text in the store is the record's bytes as the vendor
# sent them (not printed again: "\u0000" and "\ud83d" stay the escapes
# they were, t3's spaces stay; export rejects then writes bad UTF-8 as
# U+FFFD)
$PY - "$T/records.json.lines" "$T/h.db" <<'PYEOF' || fail "rejects' raw text is not the vendor's bytes"
import sqlite3, sys
sent = set(open(sys.argv[1], 'rb').read().split(b'\n')[:-1])
kept = {b'"id":"e1"', b'"id":"ok1"', b'"id":"ok2"', b'"id":"k1"'}
want = {r for r in sent if not any(k in r for k in kept)}
db = sqlite3.connect(sys.argv[2])
got = {bytes(r[0]) for r in db.execute("SELECT raw FROM rejects WHERE location LIKE 'page %'")}
got = {r for r in got if b'"id":"k1"' not in r}  # checked below
if got != want:
    sys.exit('raw texts differ: extra %r, missing %r' % (sorted(got - want)[:3], sorted(want - got)[:3]))
PYEOF
k1=$(sqlite3 "$T/h.db" "SELECT CAST(raw AS TEXT) FROM rejects WHERE CAST(raw AS TEXT) LIKE '%\"k1\"%'")
[ "$k1" = '{"id":"k1","created_at":999999999999,"score":9,"comment":"***"}' ] ||
    fail "a rejected record with the token escaped: raw '$k1'"
"$CX" --db "$T/h.db" export responses | $PY -c '
import csv, sys
c = {r["response_id"]: r["comment"] for r in csv.DictReader(sys.stdin)}
want = "smile \U0001F600 path C:\\u0000"
sys.exit(0 if c.get("ok2") == want else "ok2 comment %r, want %r" % (c.get("ok2"), want))' || fail "a pair or an escaped backslash not kept as text"
"$CX" --db "$T/h2.db" import responses "$T/export.csv" 2> "$T/err2"
rc=$?
[ $rc -eq 0 ] || fail "the export does not import again (exit $rc): $(head -c 300 "$T/err2")"
"$CX" --db "$T/h2.db" export responses | cmp -s - "$T/export.csv" || fail "export -> import -> export changed bytes"
# a reject stored by an earlier build, which kept cJSON's print of the
# record: read again with no checkpoint (the store's rejects its only
# memory), it is known (skipped), not rejected a second time
sqlite3 "$T/h.db" "UPDATE rejects SET raw = CAST('{\"id\":\"t3\",\"created_at\":999999999999,\"score\":9}' AS BLOB)
    WHERE CAST(raw AS TEXT) LIKE '%\"t3\"%'; DELETE FROM sync_state" || fail "an earlier build's reject"
serve_records "$T/records.json" # the page once more
"$CX" --config "$T/h.json" --db "$T/h.db" --quiet ingest --full 2> "$T/err4"
[ "$(sqlite3 "$T/h.db" "SELECT count(*) FROM rejects WHERE CAST(raw AS TEXT) = '{\"id\":\"t3\",\"created_at\":999999999999,\"score\":9}'")" = 1 ] ||
    fail "the earlier build's reject is not as it was"
[ "$(sqlite3 "$T/h.db" "SELECT count(*) FROM rejects WHERE location LIKE 'page %'")" = 12 ] ||
    fail "a reject stored in an earlier build's form was rejected again: $(sqlite3 "$T/h.db" "SELECT raw FROM rejects WHERE CAST(raw AS TEXT) LIKE '%t3%'")"
# a page with something after its JSON (a second body, a proxy's HTML) is
# no page: retried (here the retry is answered with an empty page), nothing
# stored from it
$PY - "$T/junk.json" <<'PYEOF'
import sys
open(sys.argv[1], 'wb').write(b'[{"id":"j1","created_at":1767225700,"score":9}] {"error":"x"} <html>502</html>')
PYEOF
serve_records "$T/junk.json"
CXPULSE_BACKOFF_SCALE=0.001 "$CX" --config "$T/h.json" --db "$T/j.db" --quiet ingest 2> "$T/err3"
rc=$?   # the server answers a retry with an empty page: exit 0, nothing stored
[ $rc -eq 0 ] || fail "a body with trailing junk, then an empty page: exit $rc: $(head -c 300 "$T/err3")"
[ "$(sqlite3 "$T/j.db" 'SELECT count(*) FROM responses')" = 0 ] || fail "rows stored from a body with trailing junk"
echo "vendor records with bad UTF-8, a NUL escape, a lone surrogate or times out of range rejected (the rest stored); trailing junk fails the page; the store's export imports again"
