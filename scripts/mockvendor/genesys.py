"""Genesys Cloud, as the mock serves it.

  POST /oauth/token          Basic client_id:secret, grant_type=client_credentials
                             -> {"access_token", "token_type": "bearer", "expires_in"}
  POST /api/v2/analytics/conversations/details/query   (Bearer access token)
  GET  /api/v2/quality/surveys/{surveyId}              (Bearer access token)

Each row is one conversation with one post-call survey.  The conversation
starts ten minutes before the survey is completed; for one row in seven it
started one to two days before (surveys completed days later).  One row
in eleven has a survey still "Pending" until the mock edits it, when it is
completed "now" on its old conversation.  The details query returns the
conversations that started in its interval, ordered by conversationStart,
paged by pageNumber/pageSize (at most 100), with "conversations" left out
when there are none, as Genesys does; a surveyFilters predicate on
surveyStatus is honoured.  Access tokens live --genesys-token-ttl seconds;
expires_in says --genesys-expires-in (default: the same), so a client that
trusts it too long meets 401.  429 carries Retry-After."""
import json
import secrets
import time
import urllib.parse

from common import basic_auth, iso_ms, parse_iso, times, valid_score

PREFIXES = ("/oauth/token", "/api/v2/analytics/", "/api/v2/quality/")
MEDIA = {"phone": "voice", "chat": "message", "email": "email"}


def error(status, code, message):
    return {"message": message, "code": code, "status": status, "contextId": "mock-ctx",
            "details": [], "errors": []}


ERRORS = {
    401: error(401, "bad.credentials", "Invalid login credentials."),
    404: error(404, "not.found", "The requested resource was not found."),
    429: error(429, "too.many.requests", "Rate limit exceeded the maximum. Retry the request in [1] seconds"),
    500: error(500, "internal.server.error", "The server encountered an unexpected condition."),
}
RETRY_AFTER = True


def tokens(m):
    with m.data.lock:
        return m.stats.setdefault("issued_tokens", [])


def authorized(m, h):
    if h.path.startswith("/oauth/token"):
        return True                        # the login checks its own Basic auth
    a = h.headers.get("Authorization", "")
    if not a.startswith("Bearer "):
        return False
    with m.data.lock:
        exp = getattr(m, "genesys_tokens", {}).get(a[7:])
    return exp is not None and time.time() < exp


def login(m, h):
    cred = basic_auth(h)
    form = urllib.parse.parse_qs((h.body or b"").decode("utf-8", "replace"))
    if h.command != "POST":
        return 405, error(405, "method.not.allowed", "Method not allowed"), {}
    if form.get("grant_type", [""])[0] != "client_credentials":
        return 400, {"error": "unsupported_grant_type", "description": "grant_type must be client_credentials"}, {}
    if cred is None or cred != (m.opts.genesys_client_id, m.opts.token):
        return 401, {"error": "invalid_client", "description": "client not found or bad secret"}, {}
    tok = secrets.token_urlsafe(24)
    ttl = m.opts.genesys_token_ttl
    with m.data.lock:
        if not hasattr(m, "genesys_tokens"):
            m.genesys_tokens = {}
        m.genesys_tokens[tok] = time.time() + ttl
        m.stats.setdefault("issued_tokens", []).append(tok)
        m.stats["logins"] = m.stats.get("logins", 0) + 1
    exp = m.opts.genesys_expires_in if m.opts.genesys_expires_in > 0 else ttl
    return 200, {"access_token": tok, "token_type": "bearer", "expires_in": exp}, {}


def rid_num(r):
    try:
        return int(r["response_id"])
    except ValueError:
        return sum(map(ord, r["response_id"]))


def pending(r):
    return rid_num(r) % 11 == 0 and not r["edited"]


def conv_start(r):
    created, _ = times(r)
    n = rid_num(r)
    late = 86400 + (n % 86400) if n % 7 == 0 else 600
    return created - late


def user_id(r):
    """The agent's Genesys user id: the data's agent id itself (real ones
    are UUIDs), so that an agent is the same person across the mock's
    vendors in the demo."""
    return r.get("agent_id") or None


def survey(opts, r):
    _, updated = times(r)
    sv = {"surveyId": r["response_id"], "surveyFormId": "form-0001", "surveyFormName": "Post-call NPS",
          "surveyFormContextId": "form-ctx-0001", "eventTime": iso_ms(updated),
          "userId": user_id(r),
          "queueId": "q-" + (r.get("product") or "general"), "surveyStatus": "Pending" if pending(r) else "Finished"}
    if sv["userId"] is None:
        del sv["userId"]
    if not pending(r):
        s = valid_score(r["score"])
        sv["surveyPromoterScore"] = (str(s) if opts.numbers_as_strings else s) if s is not None else r["score"]
        sv["surveyCompletedDate"] = iso_ms(updated)
    return sv


def conversation(opts, r):
    start = conv_start(r)
    media = MEDIA.get(r.get("channel"), "voice")
    cust = {"participantId": "p-c-" + r["response_id"], "purpose": "customer",
            "sessions": [{"mediaType": media, "direction": "inbound"}]}
    if r.get("customer_id"):
        cust["externalContactId"] = r["customer_id"]
    agent = {"participantId": "p-a-" + r["response_id"], "purpose": "agent",
             "sessions": [{"mediaType": media, "direction": "inbound"}]}
    try:
        ht = float(r.get("handle_time_s") or "")
        agent["sessions"][0]["metrics"] = [{"name": "tHandle", "value": int(ht * 1000),
                                            "emitDate": iso_ms(start + 300)}]
    except ValueError:
        pass                               # no handle time reported
    if r.get("agent_id"):
        agent["userId"] = user_id(r)
    return {"conversationId": "c-" + r["response_id"], "conversationStart": iso_ms(start),
            "conversationEnd": iso_ms(start + 300), "originatingDirection": "inbound",
            "mediaStatsMinConversationMos": 4.4, "participants": [cust, agent], "surveys": [survey(opts, r)]}


def bad(message):
    return 400, error(400, "bad.request", message), {}


def query(m, h):
    if h.command != "POST":
        return 405, error(405, "method.not.allowed", "Method not allowed"), {}
    try:
        body = json.loads(h.body or b"{}")
        a, z = body["interval"].split("/")
        lo, hi = parse_iso(a), parse_iso(z)
    except (ValueError, KeyError, TypeError, AttributeError):
        return bad("interval must be an ISO-8601 interval start/end")
    if hi - lo > 7 * 86400:
        return bad("interval must not exceed 7 days")
    paging = body.get("paging") or {}
    size, number = paging.get("pageSize", 25), paging.get("pageNumber", 1)
    if not (isinstance(size, int) and 1 <= size <= 100 and isinstance(number, int) and number >= 1):
        return bad("paging.pageSize must be 1..100 and pageNumber >= 1")
    if m.opts.cap_page > 0:
        size = min(size, m.opts.cap_page)       # a server that gives fewer than asked
    want = None
    for f in body.get("surveyFilters") or []:
        for p in f.get("predicates") or []:
            if p.get("dimension") == "surveyStatus":
                want = p.get("value")
    with m.data.lock:
        if m.opts.mutate and number > 1:
            m.data.page_mutate()
        rows = [r for r in m.data.rows.values() if lo <= conv_start(r) < hi
                and (want is None or (("Pending" if pending(r) else "Finished") == want))]
        rows.sort(key=lambda r: (conv_start(r), r["response_id"]), reverse=body.get("order") == "desc")
        page = [conversation(m.opts, r) for r in rows[(number - 1) * size:number * size]]
    out = {"totalHits": len(rows)}
    if page:
        out["conversations"] = page
    return 200, out, {}


def quality_survey(m, h, sid):
    with m.data.lock:
        r = m.data.rows.get(urllib.parse.unquote(sid))
        if r is None:
            return 404, ERRORS[404], {}
        _, updated = times(r)
        out = {"id": r["response_id"], "status": "Pending" if pending(r) else "Finished",
               "conversation": {"id": "c-" + r["response_id"]}, "surveyForm": {"id": "form-0001"}}
        if not pending(r):
            s = valid_score(r["score"])
            qs = [{"questionId": "q-nps", "answerId": "a-%s" % s, "score": s if s is not None else 0,
                   "markedNA": False}]
            if r["comment"] != "":
                qs.append({"questionId": "q-why", "freeTextAnswer": r["comment"], "markedNA": False})
            out["answers"] = {"totalScore": s, "npsScore": s,
                              "questionGroupScores": [{"questionGroupId": "g-1", "questionScores": qs}]}
            out["completedDate"] = iso_ms(updated)
    return 200, out, {}


def route(m, h, path, q):
    if path == "/oauth/token":
        return login(m, h)
    if path == "/api/v2/analytics/conversations/details/query":
        return query(m, h)
    if path.startswith("/api/v2/quality/surveys/") and h.command == "GET":
        return quality_survey(m, h, path[len("/api/v2/quality/surveys/"):])
    return 404, ERRORS[404], {}


def truth_row(r):
    s = valid_score(r["score"])
    if s is None or pending(r):
        return None
    return {"id": r["response_id"], "score": s, "comment": r["comment"]}
