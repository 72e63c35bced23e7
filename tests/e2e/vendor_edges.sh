# Vendor answers at the edges of what the connectors assumed, from a small
# scripted server:
# - Qualtrics: a continuation token of 1,502 bytes, a progressId of 403
#   and a fileId of 300 are kept whole (the next export sends the whole
#   token, which the server accepts); a progressId too long for a URL fails
#   the source with a message naming it, never a cut id.
# - SurveyMonkey: choice positions sent as text ("11" .. "1", listed in
#   descending order) map by their value; a position that is no whole
#   number 1..11, missing or repeated stops the source, naming the choice.
# - Delighted: a server capping pages at 20 rows (per_page 20) with 30
#   responses in one second: the pass over the crowded second reads all 30.
#   The same server asked for 100 a page, 55 responses over 26 seconds, 30
#   of them in one: the first run reads one capped page (a short page that
#   reaches into another second is taken as the last, as a normal server
#   means it), the second finds the capped second and reads the rest; the
#   same rows from a server that does not cap: one request a run, as before.
#   45 responses in one second, one of them (on page 1) edited out of it
#   while a pass over the second asks for page 2: that page then starts a
#   row later, and the one it passes over is read by the next pass, not
#   lost; the edited row is stored as edited.
. tests/e2e/ingest_lib.inc
export CX_EDGE_TOKEN="edge-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
export CXPULSE_BACKOFF_SCALE=0.01
start_pyserver - "$T/req.log" <<'PYEOF'
import json, sys
from pyserve import serve

TOKEN = "CT" + "x" * 1500                     # 1,502 bytes
PID = "ES_" + "p" * 400                       # 403
FID = "F_" + "f" * 298                        # 300
LONG_PID = "ES_" + "L" * 5000                 # longer than any URL we build
S = 1790000000                                # a past second holding 30 Delighted rows
DROWS = [{"id": "c%02d" % i, "score": 9, "comment": "", "created_at": S, "updated_at": S} for i in range(30)]
# 55 rows for the main loop: 10 in seconds of their own, 30 in second M,
# 15 after it (the server sorts by updated_at, then id)
M = S + 1000
MROWS = ([{"id": "a%02d" % i, "updated_at": M - 10 + i} for i in range(10)] +
         [{"id": "m%02d" % i, "updated_at": M} for i in range(30)] +
         [{"id": "z%02d" % i, "updated_at": M + 1 + i} for i in range(15)])
for r in MROWS:
    r.update(score=8, comment="", created_at=r["updated_at"])
# Second E: 45 rows; the first request for page 2 of it edits e00 (read on
# page 1) to E + 5, so that page 2 begins at e21 and that pass skips e20.
E = S + 2000
EROWS = [{"id": "e%02d" % i, "score": 9, "comment": "", "created_at": E, "updated_at": E} for i in range(45)]
SHIFTED = []
LOG = open(sys.argv[2], "a")
DLOG = open(sys.argv[2] + ".d", "a")


def sm_details(positions):
    ch = [{"id": "c%d" % i, "position": p} for i, p in enumerate(positions)]
    return {"id": "123", "pages": [{"questions": [
        {"id": "Q1", "family": "single_choice", "answers": {"choices": ch}},
        {"id": "Q2", "family": "open_ended"}]}]}


# choice c<i> sits at the position given; "c0" is at "11" (score 10), "c10" at "1" (score 0)
SM = {"/sm": [str(p) for p in range(11, 0, -1)],
      "/smbad": [str(p) for p in range(11, 1, -1)] + ["x"],
      "/smnone": [str(p) for p in range(11, 1, -1)] + [None],
      "/smrep": [str(p) for p in range(11, 1, -1)] + [11],
      "/smfrac": [str(p) for p in range(11, 1, -1)] + [1.5]}
SM_RESP = [{"id": "sm1", "date_created": "2026-11-01T10:00:00+00:00", "date_modified": "2026-11-01T10:00:00+00:00",
            "pages": [{"questions": [{"id": "Q1", "answers": [{"choice_id": "c0"}]},
                                     {"id": "Q2", "answers": [{"text": "best ever"}]}]}]},
           {"id": "sm2", "date_created": "2026-11-01T10:00:01+00:00", "date_modified": "2026-11-01T10:00:01+00:00",
            "pages": [{"questions": [{"id": "Q1", "answers": [{"choice_id": "c10"}]},
                                     {"id": "Q2", "answers": [{"text": "terrible"}]}]}]}]


def respond(method, p, q, body):
    if method == "POST":
        req = json.loads(body or b"{}")
        if p.endswith("/export-responses"):
            t = req.get("continuationToken")
            LOG.write("token %s\n" % (len(t) if t is not None else "none"))
            LOG.flush()
            if t is not None and t != TOKEN:
                return 400, {"meta": {"httpStatus": "400 - Bad Request",
                                      "error": {"errorMessage": "Invalid continuation token"}}}
            return 200, {"result": {"progressId": LONG_PID if p.startswith("/qlong") else PID}}
        return 404, {}
    if p.startswith("/q/") and p.endswith("/export-responses/" + PID):
        return 200, {"result": {"status": "complete", "percentComplete": 100, "fileId": FID,
                                "continuationToken": TOKEN}}
    if p.startswith("/q/") and p.endswith("/export-responses/%s/file" % FID):
        return 200, {"responses": [{"responseId": "R_1", "values": {
            "recordedDate": "2026-11-01T10:00:00Z", "QID1": 9, "QID2_TEXT": "fine"}}]}
    pre = p[:p.find("/v3/")] if "/v3/" in p else ""
    if pre in SM and p.endswith("/details"):
        return 200, sm_details(SM[pre])
    if pre in SM and p.endswith("/responses/bulk"):
        return 200, {"data": SM_RESP, "total": 2, "links": {}}
    if p == "/d/v1/survey_responses.json":
        per = min(int(q.get("per_page", ["100"])[0]), 20)      # this server caps per_page at 20
        page = int(q.get("page", ["1"])[0])
        since = int(q.get("updated_since", ["0"])[0])
        until = int(q.get("updated_until", ["0"])[0]) or 1 << 40
        sel = [r for r in DROWS if since <= r["updated_at"] <= until]
        return 200, sel[(page - 1) * per: page * per]
    if p in ("/dm/v1/survey_responses.json", "/dn/v1/survey_responses.json"):
        per = int(q.get("per_page", ["100"])[0])
        if p.startswith("/dm"):
            per = min(per, 20)                                 # caps per_page at 20
        page = int(q.get("page", ["1"])[0])
        since = int(q.get("updated_since", ["0"])[0])
        until = int(q.get("updated_until", ["0"])[0]) or 1 << 40
        DLOG.write("%s\n" % p[:3])
        DLOG.flush()
        sel = [r for r in MROWS if since <= r["updated_at"] <= until]
        return 200, sel[(page - 1) * per: page * per]
    if p == "/ds/v1/survey_responses.json":
        per = int(q.get("per_page", ["100"])[0])
        page = int(q.get("page", ["1"])[0])
        since = int(q.get("updated_since", ["0"])[0])
        until = int(q.get("updated_until", ["0"])[0]) or 1 << 40
        if until == E and page == 2 and not SHIFTED:
            SHIFTED.append(1)
            EROWS[0].update(updated_at=E + 5, score=2, comment="edited")
        sel = sorted((r for r in EROWS if since <= r["updated_at"] <= until),
                     key=lambda r: (r["updated_at"], r["id"]))
        return 200, sel[(page - 1) * per: page * per]
    return 404, {"error": "no route " + p}


serve(respond, methods=("GET", "POST"), threaded=True)
PYEOF

# src NAME VENDOR PATH [EXTRA]: $T/NAME.json, one source at $B/PATH.
src() {
    printf '{"sources":[{"name":"%s","vendor":"%s","base_url":"%s/%s","token_env":"CX_EDGE_TOKEN"%s}]}\n' \
        "$1" "$2" "$B" "$3" "${4:-}" > "$T/$1.json"
}
run() { "$CX" --config "$T/$1.json" --db "$T/$1.db" --quiet ingest --deadline 20 2>"$T/$1.err"; }
no_token() { grep -qF -- "$CX_EDGE_TOKEN" "$T"/*.err && fail "$1: the API token was shown"; }

# Qualtrics: the long token, progressId and fileId are kept whole.
src q qualtrics q ',"survey_id":"SV_1"'
run q || fail "qualtrics: exit $?: $(head -c 400 "$T/q.err")"
run q || fail "qualtrics, second run: exit $?: $(head -c 400 "$T/q.err")"
grep -q refused "$T/q.err" && fail "qualtrics: the saved token was refused: $(head -c 300 "$T/q.err")"
[ "$(cat "$T/req.log")" = "token none
token 1502" ] || fail "qualtrics: tokens sent (length): $(tr '\n' ' ' < "$T/req.log"), want none then 1502"
# An id too long for a URL fails the source, naming it.
src ql qualtrics qlong ',"survey_id":"SV_1"'
run ql
[ $? -eq 1 ] || fail "qualtrics, 5,003-byte progressId: exit code, want 1: $(head -c 300 "$T/ql.err")"
grep -q "progressId is too long" "$T/ql.err" || fail "qualtrics: message: $(head -c 300 "$T/ql.err")"

# SurveyMonkey: positions as text, descending; sm1 chose position "11" (10).
src sm surveymonkey sm ',"survey_id":"123"'
run sm || fail "surveymonkey: exit $?: $(head -c 400 "$T/sm.err")"
"$CX" --db "$T/sm.db" export responses | cut -d, -f2,5,6 > "$T/sm.csv" || fail "export"
printf 'response_id,score,comment\nsm1,10,best ever\nsm2,0,terrible\n' | diff - "$T/sm.csv" >"$T/diff" ||
    fail "surveymonkey: scores by position as text: $(cat "$T/diff")"
for m in "smbad:has a position that is not a whole number" "smnone:has no position" \
    "smrep:repeats the position" "smfrac:has a position that is not a whole number"; do
    n=${m%%:*} want=${m#*:}
    src "$n" surveymonkey "$n" ',"survey_id":"123"'
    run "$n"
    [ $? -eq 1 ] || fail "surveymonkey $n: exit code, want 1"
    grep -q "survey details: choice 11 of question Q1 $want" "$T/$n.err" ||
        fail "surveymonkey $n: message: $(head -c 300 "$T/$n.err")"
    [ -s "$T/$n.db" ] && [ -n "$("$CX" --db "$T/$n.db" export responses | tail -n +2)" ] &&
        fail "surveymonkey $n: responses stored despite bad positions"
done

# Delighted: 30 rows in one second, pages capped at 20.
src d delighted d ',"per_page":20'
run d || fail "delighted: exit $?: $(head -c 400 "$T/d.err")"
run d || fail "delighted, second run: exit $?: $(head -c 400 "$T/d.err")"
got=$("$CX" --db "$T/d.db" export responses | tail -n +2 | wc -l)
[ "$got" -eq 30 ] || fail "delighted: $got of the 30 responses of a crowded second stored (pages capped at 20)"

# Delighted main loop: per_page 100 asked, 20 given; 30 rows in second M.
# dreq PATH: the requests made to PATH so far.
dreq() { grep -c "^$1\$" "$T/req.log.d"; }
stored() { "$CX" --db "$T/$1.db" export responses | tail -n +2 | wc -l; }
src dm delighted dm ',"per_page":100'
run dm || fail "delighted capped at 20 of 100: exit $?: $(head -c 400 "$T/dm.err")"
r1=$(dreq /dm) got1=$(stored dm)
run dm || fail "delighted capped at 20 of 100, second run: exit $?: $(head -c 400 "$T/dm.err")"
r2=$(dreq /dm) got=$(stored dm)
[ "$got" -eq 55 ] ||
    fail "delighted: $got of 55 responses stored after two runs (pages capped at 20 of 100; $got1 after the first)"
run dm || fail "delighted capped, third run: exit $?: $(head -c 400 "$T/dm.err")"
[ "$(stored dm)" -eq 55 ] || fail "delighted capped, third run: $(stored dm) responses"
# The same rows, pages not capped: one request a run.
src dn delighted dn ',"per_page":100'
run dn || fail "delighted, no cap: exit $?: $(head -c 400 "$T/dn.err")"
n1=$(dreq /dn)
run dn || fail "delighted, no cap, second run: exit $?: $(head -c 400 "$T/dn.err")"
n2=$(dreq /dn)
[ "$(stored dn)" -eq 55 ] || fail "delighted, no cap: $(stored dn) of 55 responses"
[ "$n1" -eq 1 ] && [ "$n2" -eq 2 ] || fail "delighted, no cap: $n1 requests, then $((n2 - n1)) (want 1 and 1)"
# Delighted: a row leaves the crowded second between two pages of a pass.
src ds delighted ds ',"per_page":20'
run ds || fail "delighted, a row edited out of a crowded second: exit $?: $(head -c 400 "$T/ds.err")"
"$CX" --db "$T/ds.db" export responses | cut -d, -f2,5,6 > "$T/ds.csv" || fail "export"
{ printf 'response_id,score,comment\ne00,2,edited\n'; for i in $(seq 1 44); do printf 'e%02d,9,\n' "$i"; done; } |
    diff - "$T/ds.csv" >"$T/diff" ||
    fail "delighted: a row edited out of a crowded second while a pass paged it: $(head -c 400 "$T/diff")"
no_token all
echo "qualtrics 1,502-byte token and long ids kept whole, too long an id refused; surveymonkey positions as text mapped, bad ones refused; delighted crowded second read past a 20-row page cap; per_page 100 capped at 20: $got1 of 55 stored by the first run, all by the second ($r1 + $((r2 - r1)) requests); no cap: 1 request a run; a row edited out of a crowded second between pages: the row it shifted read, all 45 exact"
