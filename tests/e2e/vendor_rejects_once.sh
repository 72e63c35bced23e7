# A bad vendor record is rejected once, however often a sync reads it
# again (ingest/sync_rejects.c), and a rejected record's time never puts
# later responses out of reach (ingest/sync_page.c plausible_time):
# - a record dated 2100 without a score: rejected; the next runs still
#   read the response that arrives after the first run;
# - a record whose time cannot be read, and one without a score: each
#   rejected once over three runs and a --full one (before: once a run,
#   and the record dated 2100 moved the checkpoint to 2100 for good).
. tests/e2e/ingest_lib.inc
start_pyserver - <<'PYEOF'
from pyserve import serve
state = {'n': 0}
r1 = {"id": "a1", "score": 9, "created_at": 1790000000, "updated_at": 1790000000}
b1 = {"id": "b1", "score": "x", "created_at": 1790000010, "updated_at": 1790000010}
b2 = {"id": "b2", "score": 5, "created_at": "yesterday", "updated_at": 1790000020}
fut = {"id": "fut", "score": None, "created_at": 1790000030, "updated_at": 4102444800}
r2 = {"id": "a2", "score": 3, "comment": "after run 1", "created_at": 1790000100, "updated_at": 1790000100}
def respond(method, path, q, body):
    state['n'] += 1
    since = int(q.get('updated_since', ['0'])[0])
    rows = [r1, b1, b2, fut] + ([r2] if state['n'] > 1 else [])
    return 200, sorted([r for r in rows if r['updated_at'] >= since], key=lambda r: r['updated_at'])
serve(respond)
PYEOF
printf '{"sources":[{"name":"d","vendor":"delighted","base_url":"%s","token_env":"CX_TEST_TOKEN"}]}\n' \
    "$B" > "$T/c.json"
DB="$T/db"
for run in 1 2 3 full; do
    opt=
    [ "$run" = full ] && opt=--full
    # shellcheck disable=SC2086
    "$CX" --config "$T/c.json" --db "$DB" --quiet ingest $opt 2>"$T/err.$run"
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "run $run: exit $rc: $(cat "$T/err.$run")"
done
ids=$("$CX" --db "$DB" export responses | sed 1d | cut -d, -f2 | sort | tr '\n' ' ')
[ "$ids" = "a1 a2 " ] || fail "stored: '$ids', want a1 a2 (a2 came after the first run; the reject dated 2100 must not hide it)"
n=$("$CX" --db "$DB" export rejects | sed 1d | wc -l)
[ "$n" -eq 3 ] || fail "$n rejects after four runs, want 3 (one per bad record): $("$CX" --db "$DB" export rejects)"
cp=$(sqlite3 "$DB" "SELECT checkpoint FROM sync_state WHERE source = 'd'")
case "$cp" in *4102444800*) fail "the checkpoint took the rejected record's time: $cp" ;; esac
echo "bad vendor records rejected once over four runs (one --full); a reject dated 2100 leaves the checkpoint and later responses alone"
