"""Formbricks management API v1, as the mock serves it.

  GET /api/v1/management/responses?surveyId=&limit=&skip=   (header x-api-key)

Responses of the survey newest first by createdAt (Formbricks' order), as
{"data": [...]}.  Each response: id, createdAt, updatedAt, surveyId,
finished, data {<question id>: answer, hidden fields...}, meta, contact,
tags, notes.  The NPS question id is "nps", the comment "reason".  Errors
are {"code": ..., "message": ..., "details": {}}; 429 comes WITHOUT
Retry-After (clients must back off on their own)."""
from common import iso_ms, times, valid_score

PREFIXES = ("/api/v1/management/",)
SURVEY = "clsurvey0000mock0000nps"
NPS_Q, TEXT_Q = "nps", "reason"
HIDDEN = ("agent_id", "channel", "product", "interaction_type", "region")


def error(status, code, message):
    return {"code": code, "message": message, "details": {}}


ERRORS = {
    401: error(401, "not_authenticated", "Not authenticated"),
    404: error(404, "not_found", "Requested resource not found"),
    429: error(429, "too_many_requests", "Too many requests"),
    500: error(500, "internal_server_error", "Internal server error"),
}
RETRY_AFTER = False


def authorized(m, h):
    return h.headers.get("x-api-key", "") == m.opts.token


def record(opts, r):
    created, updated = times(r)
    s = valid_score(r["score"])
    data = {NPS_Q: (str(s) if opts.numbers_as_strings else s) if s is not None else r["score"]}
    if r["comment"] != "":
        data[TEXT_Q] = r["comment"]
    for k in HIDDEN:
        if r.get(k):
            data[k] = r[k]
    if r.get("handle_time_s"):
        data["handle_time"] = r["handle_time_s"]
    if r.get("moments"):
        data["moments"] = r["moments"]
    return {"id": r["response_id"], "createdAt": iso_ms(created), "updatedAt": iso_ms(updated),
            "surveyId": SURVEY, "finished": True, "data": data,
            "meta": {"source": "link", "url": "https://forms.example/s/" + SURVEY,
                     "userAgent": {"browser": "Firefox", "os": "Linux", "device": "desktop"}},
            "ttc": {NPS_Q: 2100}, "tags": [], "notes": [], "language": "default",
            "contact": {"id": "ct" + r["customer_id"], "userId": r["customer_id"]} if r.get("customer_id") else None,
            "contactAttributes": {}, "singleUseId": None}


def route(m, h, path, q):
    if path != "/api/v1/management/responses":
        return 404, ERRORS[404], {}
    if h.command != "GET":
        return 405, error(405, "method_not_allowed", "Method not allowed"), {}

    def num(name, default, lo, hi):
        v = q.get(name, [None])[0]
        if v in (None, ""):
            return default
        try:
            n = int(v)
        except ValueError:
            return None
        return n if lo <= n <= hi else None
    limit, skip = num("limit", 10, 1, 1000), num("skip", 0, 0, 10 ** 9)
    if limit is None or skip is None:
        return 400, error(400, "bad_request", "Fields are missing or incorrectly formatted",), {}
    if m.opts.cap_page > 0:
        limit = min(limit, m.opts.cap_page)     # a server that gives fewer than asked
    sid = q.get("surveyId", [SURVEY])[0]
    with m.data.lock:
        if m.opts.mutate and skip > 0:
            m.data.page_mutate()
        rows = [] if sid != SURVEY else sorted(m.data.rows.values(),
                                               key=lambda r: (times(r)[0], r["seq"]), reverse=True)
        out = [record(m.opts, r) for r in rows[skip:skip + limit]]
    return 200, {"data": out}, {}


def truth_row(r):
    """What the store must hold for row R (None: not a response)."""
    s = valid_score(r["score"])
    return None if s is None else {"id": r["response_id"], "score": s, "comment": r["comment"]}
