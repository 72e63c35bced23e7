# What a vendor sends (ingest/fieldmap.c, docs/security.md) is checked
# like an imported row.  A record with invalid UTF-8 in a text field or a
# property name, or a numeric time outside 0000..9999, is rejected (kept
# with "page N"), a property with an empty name is dropped, the good
# record lands -- so that the store's export imports again (exit 0) and
# round-trips byte for byte.
. tests/e2e/ingest_lib.inc
$PY - "$T/records.json" <<'PYEOF'
import sys
recs = [b'{"id":"u1","created_at":1767225600,"score":9,"comment":"caf\xe9"}',
        b'{"id":"u2","created_at":1767225601,"score":9,"person_properties":{"Re\xffgion":"north"}}',
        b'{"id":"u3","created_at":1767225602,"score":9,"person_properties":{"Agent":"\xc0\xaf"}}',
        b'{"id":"t1","created_at":999999999999,"score":9}',
        b'{"id":"t2","created_at":1767225603,"updated_at":-99999999999,"score":9}',
        b'{"id":"e1","created_at":1767225604,"score":7,"person_properties":{"":"x","Region":"south"}}',
        b'{"id":"ok1","created_at":1767225605,"score":10,"comment":"fine"}']
open(sys.argv[1], 'wb').write(b'[' + b','.join(recs) + b']')
PYEOF
$PY "$CXPULSE_ROOT/tests/e2e/hostile_server.py" "$T/hports" "$T/canary.log" --records "$T/records.json" 2>"$T/hserver.err" &
HPID=$!
trap 'kill $HPID 2>/dev/null; wait $HPID 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 100); do [ -s "$T/hports" ] && break; sleep 0.05; done
read -r HPORT CPORT < "$T/hports" || fail "hostile server did not start: $(cat "$T/hserver.err")"
printf '{"sources":[{"name":"h","vendor":"delighted","base_url":"http://127.0.0.1:%s/records","token_env":"CX_TEST_TOKEN"}]}\n' \
    "$HPORT" > "$T/h.json"
"$CX" --config "$T/h.json" --db "$T/h.db" --quiet ingest 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "ingest: exit $rc, want 3 (some records rejected): $(head -c 300 "$T/err")"
"$CX" --db "$T/h.db" export responses > "$T/export.csv" || fail "export"
ids=$(sed 1d "$T/export.csv" | cut -d, -f2 | sort | tr '\n' ' ')
[ "$ids" = "e1 ok1 " ] || fail "stored records: '$ids', want e1 ok1 (the rest rejected)"
n=$("$CX" --db "$T/h.db" export rejects | $PY -c 'import csv,sys; print(sum(1 for r in csv.DictReader(sys.stdin) if r["where"].startswith("page")))')
[ "$n" -eq 5 ] || fail "$n rejects kept, want 5"
"$CX" --db "$T/h2.db" import responses "$T/export.csv" 2> "$T/err2"
rc=$?
[ $rc -eq 0 ] || fail "the export does not import again (exit $rc): $(head -c 300 "$T/err2")"
"$CX" --db "$T/h2.db" export responses | cmp -s - "$T/export.csv" || fail "export -> import -> export changed bytes"
echo "vendor records with bad UTF-8 or times out of range rejected; the store's export imports again"
