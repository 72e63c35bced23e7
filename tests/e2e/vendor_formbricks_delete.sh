# Formbricks pages by offset over its responses, newest first. A response
# deleted during a walk shifts every older row back by one, and the row
# that crossed the page's edge was skipped; when it was older than
# lookback_days, the next syncs skipped it too (read "by the last walk"),
# so it stayed missing until --full. Each page now starts on the last row
# of the page before and steps back a page when that row moved past it
# (ingest/formbricks.c). Every row the vendor still holds must be stored
# after one sync, whatever is deleted while it walks.
. tests/e2e/ingest_lib.inc
start_pyserver - <<'PYEOF'
import time
from pyserve import serve
state = {"rows": [], "plan": {}, "asked": []}
def rec(i):
    t = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 30 * 86400 - i))
    return {"id": "r%03d" % i, "createdAt": t, "updatedAt": t, "finished": True, "data": {"nps": i % 11}}
def respond(method, path, q, body):
    if path == '/_setup':  # N rows, newest first; at the Rth request of a page: delete K at P
        state["rows"] = [rec(i) for i in range(int(q['n'][0]))]
        if q.get('noid'):  # records without an id: rejected, and nothing to start a page on
            for r in state["rows"]:
                del r["id"]
        state["plan"] = {int(r): (int(p), int(k)) for r, p, k in
                         (x.split(':') for x in q.get('del', [''])[0].split(',') if x)}
        state["asked"] = []
        return 200, {}
    if path == '/_left':  # the ids the vendor holds now, and the skips asked
        return 200, {"ids": [r["id"] for r in state["rows"] if "id" in r], "asked": state["asked"]}
    skip, limit = int(q['skip'][0]), int(q['limit'][0])
    state["asked"].append(skip)
    if len(state["asked"]) in state["plan"]:
        p, k = state["plan"].pop(len(state["asked"]))
        del state["rows"][p:p + k]
    return 200, {"data": state["rows"][skip:skip + limit]}
serve(respond)
PYEOF
printf '{"sources":[{"name":"fb","vendor":"formbricks","base_url":"%s","token_env":"CX_TEST_TOKEN","survey_id":"s1","nps_question":"nps","per_page":10}]}\n' \
    "$B" > "$T/c.json"
# The skips the server was asked for, in order (from $T/left.json).
skips_asked() { $PY -c 'import json, sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["asked"])))' "$T/left.json"; }
get() { $PY -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$B$1"; }

# walk NAME N PLAN WANT_ASKED: N rows; PLAN is request:position:count,...; after
# one sync every row left at the vendor is stored; the skips asked are WANT_ASKED.
walk() {
    get "/_setup?n=$2&del=$3" > /dev/null || fail "$1: setup"
    rm -f "$T/db"
    "$CX" --config "$T/c.json" --db "$T/db" --quiet ingest || fail "$1: sync"
    get /_left > "$T/left.json" || fail "$1: left"
    for run in 1 2; do
        "$CX" --db "$T/db" export responses | sed 1d | cut -d, -f2 | sort > "$T/stored"
        $PY -c 'import json, sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["ids"])))' "$T/left.json" > "$T/want"
        missing=$(comm -13 "$T/stored" "$T/want" | tr '\n' ' ')
        [ -z "$missing" ] || fail "$1: after sync $run, not stored: $missing"
        [ $run = 1 ] && { "$CX" --config "$T/c.json" --db "$T/db" --quiet ingest || fail "$1: second sync"; }
    done
    asked=$(skips_asked)
    [ "$asked" = "$4" ] || fail "$1: skips asked '$asked', want '$4'"
    summary="$summary $1:$(wc -l < "$T/want")"
}
summary=""
# No deletion: each page starts on the row before (9 new rows a page).
walk none 25 "" "0 9 18"
# The newest row deleted when the second page is asked: its rows moved back one,
# the page misses the anchor, the walk steps back to 0 and goes on.
walk one 25 "2:0:1" "0 9 0 9 18"
# 12 rows deleted as the third page is asked (more than a page back): two steps back.
walk many 40 "3:3:12" "0 9 18 9 0 9 18 27"
# The anchor itself and every row after it gone: the empty page steps back.
walk tail 19 "2:9:10" "0 9 0"
# The oldest rows deleted: nothing moves before the anchor, no step back.
walk after 25 "2:20:5" "0 9 18"
# Records without an id (a broken export) are rejected, and the walk pages
# on without an anchor: 25 rejects in 3 requests, not 64 steps back.
get "/_setup?n=25&noid=1" > /dev/null || fail "noid: setup"
rm -f "$T/db"
"$CX" --config "$T/c.json" --db "$T/db" --quiet ingest 2> "$T/noid.err"
rc=$?
[ $rc -eq 3 ] || fail "noid: exit $rc, want 3 (rows rejected): $(head -c 300 "$T/noid.err")"
get /_left > "$T/left.json" || fail "noid: left"
asked=$(skips_asked)
[ "$asked" = "0 10 20" ] || fail "noid: skips asked '$asked', want '0 10 20'"
rej=$("$CX" --db "$T/db" export rejects | sed 1d | wc -l)
[ "$rej" = 25 ] || fail "noid: $rej rejects, want 25"
summary="$summary noid:$rej rejected"
echo "formbricks: every row left at the vendor stored after one sync, whatever was deleted during the walk (case:rows):$summary"
