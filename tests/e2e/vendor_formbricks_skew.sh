# Formbricks' walk starts at the server's Date; a front end whose clock
# runs 60 s ahead of its records' times made a response created just after
# a sync invisible to every later sync (skipped as "read by the last
# walk"). The walks now skip only rows older than lookback_days before
# that start (ingest/formbricks.c done_before), so the response lands.
. tests/e2e/ingest_lib.inc
cat > "$T/srv.py" <<'PYEOF'
import email.utils, json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse, parse_qs
rows = []
def rec(i, t):
    s = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))
    return {"id": "r%d" % i, "createdAt": s, "updatedAt": s, "finished": True, "data": {"nps": 9}}
class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        u = urlparse(self.path)
        if u.path == '/_add':  # a response created now, by the records' clock
            rows.insert(0, rec(len(rows) + 1, time.time()))
            body = b'{}'
        else:
            q = parse_qs(u.query)
            skip, limit = int(q['skip'][0]), int(q['limit'][0])
            body = json.dumps({"data": rows[skip:skip + limit]}).encode()
        self.send_response(200)
        self.send_header('Date', email.utils.formatdate(time.time() + 60, usegmt=True))  # 60 s ahead
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = HTTPServer(('127.0.0.1', 0), H)
open(sys.argv[1] + '.tmp', 'w').write(str(s.server_address[1]))
import os
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
s.serve_forever()
PYEOF
$PY "$T/srv.py" "$T/sport" 2>"$T/srv.err" &
MOCK_PID=$!
for _ in $(seq 1 100); do [ -s "$T/sport" ] && break; sleep 0.05; done
[ -s "$T/sport" ] || fail "server did not start: $(cat "$T/srv.err")"
B="http://127.0.0.1:$(cat "$T/sport")"
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
