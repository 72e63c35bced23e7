"""Zendesk satisfaction ratings, as the mock serves them.

  GET /api/v2/satisfaction_ratings(.json)?score=&start_time=&end_time=&page[size]=&page[after]=
      (Basic auth "{email}/token:{api token}")

Cursor pagination: ratings in created_at order (then id), page[size] at
most 100, meta.has_more / meta.after_cursor and links.next; the cursor is
opaque.  start_time and end_time (unix seconds, inclusive) filter on
created_at.  score filters: received (good or bad), good, bad, offered,
unoffered, and the *_with_comment / *_without_comment forms.  A row's
rating is good when its score is 7..10, bad below; one row in thirteen is
only "offered" (sent, not answered) until the mock edits it, when the
customer answers.  The agent is the ticket's assignee at rating time.  429
carries Retry-After."""
import base64
import json
import urllib.parse

from common import agent_number, basic_auth, iso_z, times, valid_score

PREFIXES = ("/api/v2/satisfaction_ratings",)
EMAIL = "cx@example.com"


def error(status, code, message):
    return {"error": code, "description": message}


ERRORS = {
    401: {"error": "Couldn't authenticate you"},
    404: error(404, "RecordNotFound", "Not found"),
    429: error(429, "TooManyRequests", "You have exceeded the rate limit"),
    500: error(500, "InternalError", "Something went wrong"),
}
RETRY_AFTER = True


def authorized(m, h):
    return basic_auth(h) == (EMAIL + "/token", m.opts.token)


def rid_num(r):
    try:
        return int(r["response_id"])
    except ValueError:
        return sum(map(ord, r["response_id"]))


def rating_score(r):
    if rid_num(r) % 13 == 0 and not r["edited"]:
        return "offered"
    s = valid_score(r["score"])
    if s is None:
        return str(r["score"])          # garbage passed on as the vendor would
    return "good" if s >= 7 else "bad"


def record(base, r):
    created, updated = times(r)
    sc = rating_score(r)
    rid = rid_num(r)
    out = {"url": "%s/api/v2/satisfaction_ratings/%d.json" % (base, rid), "id": rid,
           "assignee_id": 360000000 + agent_number(r.get("agent_id")) if r.get("agent_id") else None,
           "group_id": 36000100, "requester_id": 361000000 + agent_number(r.get("customer_id")),
           "ticket_id": 50000 + rid % 100000, "score": sc,
           "comment": (r["comment"] or None) if sc != "offered" else None,
           "reason": "Some other reason" if sc == "bad" else None, "reason_id": None,
           "reason_code": 100 if sc == "bad" else None,
           "created_at": iso_z(created), "updated_at": iso_z(updated)}
    return out


def score_ok(want, r):
    sc = rating_score(r)
    has = bool(r["comment"])
    base, _, cond = want.partition("_with")
    if want.endswith("_without_comment"):
        base, cond = want[:-len("_without_comment")], "out"
    elif want.endswith("_with_comment"):
        base, cond = want[:-len("_with_comment")], ""
    else:
        cond = None
    if base == "received":
        ok = sc in ("good", "bad")
    elif base in ("good", "bad", "offered", "unoffered"):
        ok = sc == base
    else:
        return None
    if cond == "":
        ok = ok and has
    elif cond == "out":
        ok = ok and not has
    return ok


def encode(key):
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode(cur):
    try:
        return tuple(json.loads(base64.urlsafe_b64decode(cur + "=" * (-len(cur) % 4))))
    except (ValueError, TypeError):
        return None


def route(m, h, path, q):
    if path not in ("/api/v2/satisfaction_ratings", "/api/v2/satisfaction_ratings.json"):
        return 404, ERRORS[404], {}
    if h.command != "GET":
        return 405, error(405, "MethodNotAllowed", "Method not allowed"), {}

    def bad(name):
        return 400, error(400, "InvalidPaginationParameter" if name.startswith("page") else "InvalidValue",
                          "Invalid %s" % name), {}
    try:
        size = int(q.get("page[size]", ["100"])[0])
        start = int(q["start_time"][0]) if q.get("start_time", [""])[0] else None
        end = int(q["end_time"][0]) if q.get("end_time", [""])[0] else None
    except ValueError:
        return bad("page[size], start_time or end_time")
    if not 1 <= size <= 100:
        return bad("page[size]")
    after = None
    if q.get("page[after]", [""])[0]:
        after = decode(q["page[after]"][0])
        if after is None:
            return bad("page[after]")
    want = q.get("score", [None])[0]
    with m.data.lock:
        if m.opts.mutate and after is not None:
            m.data.page_mutate()
        rows = []
        for r in m.data.rows.values():
            created = times(r)[0]
            if (start is not None and created < start) or (end is not None and created > end):
                continue
            if want is not None:
                ok = score_ok(want, r)
                if ok is None:
                    return bad("score")
                if not ok:
                    continue
            rows.append(((created, rid_num(r)), r))
        rows.sort(key=lambda x: x[0])
        if after is not None:
            rows = [x for x in rows if x[0] > after]
        page, more = rows[:size], len(rows) > size
        base = "http://" + (h.headers.get("Host") or "127.0.0.1")
        data = [record(base, r) for _, r in page]
    meta = {"has_more": more, "after_cursor": encode(list(page[-1][0])) if page else None,
            "before_cursor": encode(list(page[0][0])) if page else None}
    keep = [(k, v) for k, vs in sorted(q.items()) if k != "page[after]" for v in vs]
    nxt = None
    if more:
        host = m.opts.zendesk_link_host and "http://" + m.opts.zendesk_link_host or base
        nxt = "%s%s?%s" % (host, path, urllib.parse.urlencode(keep + [("page[after]", meta["after_cursor"])]))
    return 200, {"satisfaction_ratings": data, "meta": meta, "links": {"next": nxt, "prev": None}}, {}


def truth_row(r):
    sc = rating_score(r)
    if sc not in ("good", "bad"):
        return None
    return {"id": str(rid_num(r)), "score": sc, "comment": r["comment"]}
