# Formbricks' walk starts at the server's Date; a front end whose clock
# runs 60 s ahead of its records' times made a response created just after
# a sync invisible to every later sync (skipped as "read by the last
# walk"). The walks now skip only rows older than lookback_days before
# that start (ingest/formbricks.c done_before), so the response lands.
. tests/e2e/ingest_lib.inc
start_pyserver - <<'PYEOF'
import email.utils, time
from pyserve import serve
rows = []
def rec(i, t):
    s = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))
    return {"id": "r%d" % i, "createdAt": s, "updatedAt": s, "finished": True, "data": {"nps": 9}}
def respond(method, path, q, body):
    if path == '/_add':  # a response created now, by the records' clock
        rows.insert(0, rec(len(rows) + 1, time.time()))
        ans = {}
    else:
        skip, limit = int(q['skip'][0]), int(q['limit'][0])
        ans = {"data": rows[skip:skip + limit]}
    return 200, ans, {'Date': email.utils.formatdate(time.time() + 60, usegmt=True)}  # 60 s ahead
serve(respond)
PYEOF
printf '{"sources":[{"name":"fb","vendor":"formbricks","base_url":"%s","token_env":"CX_TEST_TOKEN","survey_id":"s1","nps_question":"nps"}]}\n' \
    "$B" > "$T/c.json"
add() { $PY -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/_add").read()' "$B" || fail "add"; }
add
"$CX" --config "$T/c.json" --db "$T/db" --quiet ingest || fail "first sync"
sleep 1
add   # created after the first walk began, by the records' clock; before its Date
for run in 2 3; do "$CX" --config "$T/c.json" --db "$T/db" --quiet ingest || fail "sync $run"; done
ids=$("$CX" --db "$T/db" export responses | sed 1d | cut -d, -f2 | sort | tr '\n' ' ')
[ "$ids" = "r1 r2 " ] || fail "stored: '$ids', want r1 r2 (r2 came after the first sync, the server's Date 60 s ahead)"
echo "formbricks: a response created after a sync lands although the server's Date runs 60 s ahead of its records"
