"""Helpers shared by the mock's vendor modules (formbricks, zendesk,
genesys): the rows' times on the vendors' "recent" timeline, ISO times,
basic-auth parsing.  Standard library only."""
import base64
import datetime as dt


def iso_ms(t):
    """UTC seconds -> 2026-12-01T10:20:30.000Z (the JS/Java style these vendors use)."""
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def iso_z(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(s):
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return int(t.timestamp())


def times(r):
    """(created, updated) of a row on the recent timeline: created is
    recent_at (set for every row when the mock starts, and "now" for rows
    inserted later); updated is the time of the last edit, else created."""
    created = r["recent_at"]
    return created, (r["updated_at"] if r["edited"] else created)


def basic_auth(h):
    """(user, password) of an Authorization: Basic header, or None."""
    a = h.headers.get("Authorization", "")
    if not a.startswith("Basic "):
        return None
    try:
        user, _, pw = base64.b64decode(a[6:], validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, pw


def valid_score(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return int(v) if v == int(v) and 0 <= v <= 10 else None


def agent_number(agent):
    """"A07" -> 7 (numeric ids for vendors whose ids are integers)."""
    digits = "".join(ch for ch in agent or "" if ch.isdigit())
    return int(digits) if digits else 0
