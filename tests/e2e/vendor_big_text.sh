# A vendor record whose text could not come back through the CSV reader
# (a 65 MiB comment; `import responses` reads records of at most 64 MiB) is
# rejected at ingest with the reason, kept in the rejects like other bad
# records, and the normal record beside it is stored: `export responses`
# then `import responses` round-trips byte for byte.
. tests/e2e/ingest_lib.inc
export CX_BIG_TOKEN="big-$$"
start_pyserver - <<'PYEOF'
import json
from pyserve import serve

S = 1790000000
PAGE = json.dumps([
    {"id": "big1", "score": 9, "comment": "x" * (65 << 20), "created_at": S, "updated_at": S},
    {"id": "ok1", "score": 7, "comment": "short, \"quoted\"", "created_at": S + 1, "updated_at": S + 1,
     "person_properties": {"Region": "EU"}}]).encode()


def respond(method, path, query, body):
    return 200, PAGE if path == "/v1/survey_responses.json" else b"[]"


serve(respond, threaded=True)
PYEOF
printf '{"sources":[{"name":"d","vendor":"delighted","base_url":"%s","token_env":"CX_BIG_TOKEN"}]}\n' "$B" > "$T/cfg.json"
"$CX" --config "$T/cfg.json" --db "$T/a.db" --quiet ingest --deadline 60 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || fail "ingest: exit $rc, want 3 (a record rejected): $(head -c 400 "$T/err")"
[ "$(sqlite3 "$T/a.db" "SELECT count(*) FROM rejects WHERE reason LIKE 'text too long: exported as CSV%64 MiB%'")" = 1 ] ||
    fail "the 65 MiB comment was not rejected with its reason: $(sqlite3 "$T/a.db" 'SELECT location, reason FROM rejects' 2>&1 | head -c 300)"
"$CX" --db "$T/a.db" export responses > "$T/a.csv" || fail "export"
[ "$(cut -d, -f2 "$T/a.csv" | tail -n +2)" = ok1 ] || fail "stored: $(cut -c 1-200 "$T/a.csv")"
"$CX" --db "$T/b.db" --quiet import responses "$T/a.csv" 2>"$T/err" || fail "import of the export: $(head -c 300 "$T/err")"
"$CX" --db "$T/b.db" export responses > "$T/b.csv" || fail "export of the import"
cmp -s "$T/a.csv" "$T/b.csv" || fail "export -> import -> export differs: $(diff "$T/a.csv" "$T/b.csv" | head -c 300)"
echo "a 65 MiB comment rejected at ingest (past the 64 MiB CSV record limit), the normal record stored; export -> import round-trips"
