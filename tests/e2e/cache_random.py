#!/usr/bin/env python3
"""cache_random.py — a random walk of writes to a store, each followed by
runs with its analysis cache and a run without it (CXPULSE_CACHE=off),
whose outputs must be equal byte for byte (tests/e2e/cache_random.sh).

The writes are what a store meets in use: imports of new rows (ids after
the stored ones, before them, among them; another source), newer and
older versions of stored rows (score, comment changed, emptied, taken
from another row), an unchanged re-import, ids given twice, another
program's INSERT, UPDATE and DELETE (the sqlite3 shell, psql), and what
happens to the files beside it: the cache or its comments' notes
damaged, cut short, deleted, or put back as they were some steps before,
runs and imports killed in their midst, another command (agents, report,
verbatims) reading the cache first.  After each write, the runs with the
cache are made twice (the first may build, extend or rewrite the cache and
its notes; the second reads what the first left) with a random --by and,
half the time, one month, then once without the cache: stats, --tables
nps, agents, verbatims and, a quarter of the time, the report; a third of the
time all three under a configuration of other moments of truth (a note's
flag depends on them).

  cache_random.py CXPULSE GEN_SAMPLE WORKDIR DB SEED STEPS [sqlite|pg [ROWS [MOCK]]]

MOCK: scripts/mock-vendor, started on a free port, adds a write: an
ingest of its Qualtrics and SurveyMonkey responses (new ones, and edits of
those synced before: the mock's mutations).

ROWS (default 3000) rows are made, 40% of them imported first: past
40,000 the cache has several blocks (16,384 rows at most each).

Prints each step; exits 1 at the first difference, naming the seed, the
step and what differed.  Its comments average 55 bytes (gen-sample
--verbatims), over the 40 bytes under which a run keeps no notes.
"""
import atexit
import csv
import glob
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

CX, GEN, WORK, DB, SEED, STEPS = sys.argv[1:7]
SEED, STEPS = int(SEED), int(STEPS)
KIND = sys.argv[7] if len(sys.argv) > 7 else "sqlite"
ROWS = int(sys.argv[8]) if len(sys.argv) > 8 else 3000
MOCK = sys.argv[9] if len(sys.argv) > 9 else None
rng = random.Random(SEED)
BYS = ["channel", "channel,agent_id", "region", "product,interaction_type", "agent_id,tier"]
MONTHS = ["2025-12", "2026-03", "2026-06", "2026-10"]
step_no = 0


def fail(msg):
    print("FAIL: seed %d step %d: %s" % (SEED, step_no, msg))
    sys.exit(1)


CONFIG = []   # --config FILE of the check's runs (none: the defaults)


def cx_argv(args, say="--quiet"):
    return [CX, "--db", DB, say] + CONFIG + args


def cx(args, env=None, check=True, say="--quiet"):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(cx_argv(args, say), env=e,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode not in (0, 3):
        fail("%s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()[:400]))
    return p


def sql(stmt):
    if KIND == "pg":
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", DB, "-c", stmt]
    else:
        cmd = ["sqlite3", DB, stmt]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("%s: %s" % (stmt[:100], p.stderr.decode()[:300]))
    return p.stdout.decode()


def cache_files():
    if KIND == "pg":
        base = glob.glob(os.path.join(os.environ["XDG_CACHE_HOME"], "cxpulse", "pg-*.cache"))
        base = base[0] if base else None
    else:
        base = DB + ".cache"
    if not base:
        return []
    return [f for f in (base, base + ".notes") if os.path.exists(f)]


# The rows: gen-sample's, with ids of our own making for rows that come
# after or before every stored id.
subprocess.run([GEN, "--rows", str(ROWS), "--seed", str(SEED % 1000 + 1), "--verbatims",
                "--out", WORK + "/d"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
with open(WORK + "/d/responses.csv", newline="") as f:
    rows = list(csv.reader(f))
HEAD, POOL = rows[0], rows[1:]
I = {name: i for i, name in enumerate(HEAD)}
COMMENTS = [r[I["comment"]] for r in POOL if r[I["comment"]]]
stored = {}      # (source, id) -> the row as last imported (not exact after SQL edits: only a guide)
files = []       # (path, source) imported before
unused = list(range(len(POOL)))
rng.shuffle(unused)
counter = [0]
stamp = [0]      # updated_at of newer versions, rising


def newer_stamp():
    stamp[0] += 1
    return "2027-%02d-%02dT%02d:00:00Z" % (1 + stamp[0] // 600 % 12, 1 + stamp[0] // 24 % 28, stamp[0] % 24)


def csv_file(rows_out):
    """ROWS_OUT in a new CSV file of the responses' columns: its path."""
    counter[0] += 1
    path = "%s/f%03d.csv" % (WORK, counter[0])
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEAD)
        w.writerows(rows_out)
    return path


def import_args(path, source, dup):
    return ["import", "responses", path] + (["--source", source] if source else []) + (
        ["--allow-duplicate-ids"] if dup else [])


def write(rows_out, source=None, dup=False):
    path = csv_file(rows_out)
    cx(import_args(path, source, dup))
    for r in rows_out:
        stored[(source or "csv", r[I["response_id"]])] = r
    files.append((path, source, dup))
    return "%d rows%s" % (len(rows_out), " under " + source if source else "")


def take(n):
    out = []
    while unused and len(out) < n:
        out.append(list(POOL[unused.pop()]))
    return out


def renamed(rs, prefix):
    for r in rs:
        counter[0] += 1
        r[I["response_id"]] = "%s%06d" % (prefix, counter[0])
    return rs


def changed_comment(c):
    k = rng.randrange(4)
    if k == 0:
        return ""
    if k == 1:
        return rng.choice(COMMENTS)
    if k == 2 and c:
        i = rng.randrange(len(c))
        return c[:i] + ("x" if c[i] != "x" else "y") + c[i + 1:]
    return c


def op_among():
    return "among: " + write(take(rng.choice([1, 30, 300, ROWS // 10])))


def op_after():
    return "after: " + write(renamed(take(rng.choice([1, 50, 200, ROWS // 8])), "z"))


def op_before():
    return "before: " + write(renamed(take(rng.choice([1, 50])), "a"))


def op_source():
    return "new source: " + write(take(rng.choice([10, 100])), source=rng.choice(["vendor_b", "aa"]))


def some_stored(n):
    keys = sorted(stored)
    return rng.sample(keys, min(n, len(keys)))


def op_newer():
    out_by_src = {}
    for src, rid in some_stored(rng.choice([1, 20, 100])):
        r = list(stored[(src, rid)])
        r[I["updated_at"]] = newer_stamp()
        if rng.random() < 0.5:
            r[I["score"]] = str(rng.randrange(11))
        r[I["comment"]] = changed_comment(r[I["comment"]])
        if rng.random() < 0.2:
            r[I["agent_id"]] = "a%d" % rng.randrange(1, 60)
        if rng.random() < 0.2:
            r[I["interaction_type"]] = rng.choice(["billing", "fraud_alert", "lost_card", ""])
        out_by_src.setdefault(src, []).append(r)
    said = []
    for src, rs in sorted(out_by_src.items()):
        said.append(write(rs, source=None if src == "csv" else src))
    return "newer versions: " + ", ".join(said)


def op_older():
    rs = []
    for src, rid in some_stored(20):
        if src != "csv":
            continue
        r = list(stored[(src, rid)])
        r[I["updated_at"]] = "2020-01-01T00:00:00Z"
        r[I["score"]] = str(rng.randrange(11))
        r[I["comment"]] = changed_comment(r[I["comment"]])
        rs.append(r)
    if not rs:
        return "older: none"
    kept = {("csv", r[I["response_id"]]): stored[("csv", r[I["response_id"]])] for r in rs}
    write(rs)
    stored.update(kept)   # ignored by the store: the stored rows stay
    return "older versions (ignored): %d rows" % len(rs)


def op_again():
    if not files:
        return "again: none"
    path, src, dup = rng.choice(files)
    cx(import_args(path, src, dup))
    return "again: " + os.path.basename(path)


def op_dup():
    rs = take(20)
    twice = [list(r) for r in rs[:5]]
    for r in twice:
        r[I["updated_at"]] = newer_stamp()
        r[I["comment"]] = changed_comment(r[I["comment"]])
    mixed = rs + twice
    rng.shuffle(mixed)
    return "ids twice: " + write(mixed, dup=True)


def op_sql_insert():
    n = rng.choice([1, 40])
    counter[0] += 1
    sql("INSERT INTO responses SELECT source, response_id || 'q%d', responded_at, updated_at, month, score,"
        " comment, customer_id, agent_id, channel, product, interaction_type, handle_time_s, moments,"
        " attributes, metric FROM responses ORDER BY response_id LIMIT %d OFFSET %d"
        % (counter[0], n, rng.randrange(max(1, len(stored) - n))))
    return "another program's insert: %d rows" % n


def op_sql_update():
    keys = some_stored(rng.choice([1, 10]))
    ids = ",".join("'%s'" % rid for _, rid in keys)
    what = rng.choice(["comment = ''", "comment = comment || ' nothing else.'",
                       "score = (score + 5) % 11", "agent_id = 'a99'"])
    sql("UPDATE responses SET %s WHERE response_id IN (%s)" % (what, ids))
    return "another program's update (%s) of %d rows" % (what, len(keys))


def op_sql_delete():
    keys = some_stored(rng.choice([1, 15]))
    ids = ",".join("'%s'" % rid for _, rid in keys)
    sql("DELETE FROM responses WHERE response_id IN (%s)" % ids)
    for k in keys:
        del stored[k]
    return "another program's delete of %d rows" % len(keys)


saved = []   # copies of the cache files as they were


def op_save():
    counter[0] += 1
    d = "%s/saved%03d" % (WORK, counter[0])
    os.mkdir(d)
    fs = cache_files()
    for f in fs:
        shutil.copy(f, d)
    saved.append((d, fs))
    return "the cache files kept aside (%d)" % len(fs)


def op_restore():
    if not saved:
        return op_save()
    d, fs = rng.choice(saved)
    for f in cache_files():
        os.unlink(f)
    for f in fs:
        shutil.copy(os.path.join(d, os.path.basename(f)), f)
    return "the cache files put back as they were (%s, %d)" % (os.path.basename(d), len(fs))


def op_damage():
    fs = cache_files()
    if not fs:
        return "damage: no cache"
    f = rng.choice(fs)
    size = os.path.getsize(f)
    k = rng.randrange(3)
    if k == 0:
        os.unlink(f)
        return "damage: %s deleted" % os.path.basename(f)
    if k == 1:
        with open(f, "r+b") as fh:
            fh.truncate(rng.randrange(size + 1))
        return "damage: %s cut short" % os.path.basename(f)
    with open(f, "r+b") as fh:
        for _ in range(rng.choice([1, 8])):
            at = rng.randrange(max(1, size))
            fh.seek(at)
            b = fh.read(1)
            fh.seek(at)
            fh.write(bytes([(b[0] if b else 0) ^ (1 << rng.randrange(8))]))
    return "damage: %s bytes flipped" % os.path.basename(f)


def killed(args, within):
    """ARGS run and killed with SIGKILL within WITHIN seconds: whether it
    was still running then."""
    p = subprocess.Popen(cx_argv(args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.random() * within)
    p.send_signal(signal.SIGKILL)
    p.wait()
    return p.returncode == -9


def op_kill():
    midst = killed(["stats", "--by", rng.choice(BYS), "--out", WORK + "/killed"], 0.08)
    return "a run killed (%s)" % ("in its midst" if midst else "had ended")


def op_kill_import():
    rs = take(rng.choice([300, ROWS // 5]))
    if rng.random() < 0.5:
        rs = renamed(rs, "z")
    midst = killed(["import", "responses", csv_file(rs)], 0.15)
    if not midst:
        for r in rs:
            stored[("csv", r[I["response_id"]])] = r
    return "an import of %d rows killed (%s)" % (len(rs), "in its midst" if midst else "had ended")


def op_other_reader():
    """Another command reads the cache first (its notes, if any, written by
    a reader of other options), the notes deleted before half the time."""
    gone = ""
    if rng.random() < 0.5:
        for f in cache_files():
            if f.endswith(".notes"):
                os.unlink(f)
                gone = ", the notes deleted before"
    m = rng.choice(MONTHS)
    args = rng.choice([["agents", "--month", m], ["report", "--month", m, "--out", WORK + "/rep"],
                       ["stats", "--tables", "nps", "--out", WORK + "/nps1"], ["verbatims", "--month", m],
                       ["stats", "--tables", "agents", "--out", WORK + "/ag1"]])
    cx(args)
    return "%s first%s" % (" ".join(a for a in args if not a.startswith(WORK)), gone)


mock = {}   # the mock vendor: its process, base URL, config


@atexit.register
def stop_mock():
    if "p" in mock:
        mock["p"].kill()
        mock["p"].wait()


def start_mock():
    port_file = WORK + "/mock.port"
    token = "tok-walk-%d" % SEED
    mock["p"] = subprocess.Popen([MOCK, "--generate", "600", "--seed", str(SEED % 97), "--port", "0",
                                  "--port-file", port_file, "--token", token],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.05)
    else:
        fail("the mock vendor did not start")
    mock["base"] = "http://127.0.0.1:%s" % open(port_file).read().strip()
    os.environ["CX_WALK_TOKEN"] = token
    os.environ.setdefault("CXPULSE_BACKOFF_SCALE", "0.02")
    mock["cfg"] = WORK + "/vendors.json"
    with open(mock["cfg"], "w") as f:
        f.write('{"sources": [{"name": "qualtrics", "vendor": "qualtrics", "base_url": "%s", "token_env":'
                ' "CX_WALK_TOKEN", "per_page": 100, "survey_id": "SV_mock"}, {"name": "surveymonkey",'
                ' "vendor": "surveymonkey", "base_url": "%s", "token_env": "CX_WALK_TOKEN", "per_page": 100,'
                ' "survey_id": "123456789"}]}\n' % (mock["base"], mock["base"]))


def op_ingest():
    import urllib.request
    edits = rng.choice([0, 1, 3])
    for _ in range(edits):
        urllib.request.urlopen(urllib.request.Request(mock["base"] + "/_mock/mutate", data=b"", method="POST")).read()
    src = rng.choice([[], ["--source", "qualtrics"], ["--source", "surveymonkey"]])
    cx(["--config", mock["cfg"], "ingest", "--allow-duplicate-ids"] + src)
    return "an ingest%s after %d rounds of the vendor's edits" % (" of " + src[1] if src else "", edits)


def op_month_run():
    m = rng.choice(MONTHS)
    cx(["stats", "--month", m, "--out", WORK + "/month"])
    return "a run of %s alone" % m


OPS = [(op_among, 3), (op_after, 3), (op_before, 1), (op_source, 1), (op_newer, 4), (op_older, 1),
       (op_again, 1), (op_dup, 1), (op_sql_insert, 1), (op_sql_update, 2), (op_sql_delete, 1),
       (op_save, 1), (op_restore, 2), (op_damage, 2), (op_kill, 1), (op_kill_import, 1), (op_month_run, 1),
       (op_other_reader, 2)] + ([(op_ingest, 3)] if MOCK else [])


tally = {}   # what the first run with the cache did with it (--verbose)


def report(d, by, month, window, env):
    """The report of MONTH into D/report, its time of making blanked."""
    cx(["report", "--by", by, "--month", month, "--window", window, "--out", d + "/report"], env)
    html = d + "/report/index.html"
    with open(html) as f:
        text = f.read()
    text = re.sub(r"generated [0-9T:Z-]*", "generated -", text)
    text = re.sub(r"<td[^>]*>[0-9-]*T[0-9:]*Z</td>", "<td>-</td>", text)
    with open(html, "w") as f:
        f.write(text)


def outputs(tag, by, month, env, rep):
    d = "%s/%s" % (WORK, tag)
    shutil.rmtree(d, ignore_errors=True)
    args = ["stats", "--by", by, "--out", d + "/stats"] + (["--month", month] if month else [])
    p = cx(args, env, say="--verbose" if tag == "with1" else "--quiet")
    if tag == "with1":
        said = [ln for ln in p.stderr.decode().splitlines() if "cache: " in ln]
        line = said[0] if said else ""
        # rebuilt from a damaged cache: "damaged"; anything else named in the tally
        k = next((w for w in ("damaged", "built", "extended") if w in line), line or "read")
        tally[k] = tally.get(k, 0) + 1
        if "notes:" in line and " 0 kept" not in line:
            tally["notes kept"] = tally.get("notes kept", 0) + 1
    args = ["stats", "--by", by, "--tables", "nps", "--out", d + "/nps"] + (["--month", month] if month else [])
    cx(args, env)
    p = cx(["agents", "--month", month or "2026-10"], env)
    with open(d + "/agents.txt", "wb") as f:
        f.write(p.stdout)
    p = cx(["verbatims"] + (["--month", month] if month else []), env)
    with open(d + "/verbatims.txt", "wb") as f:
        f.write(p.stdout)
    if rep:
        report(d, by, month or "2026-03", rep, env)
    return d


def differ(a, b):
    p = subprocess.run(["diff", "-r", a, b], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode != 0 and p.stdout.decode()[:600]


# Configurations whose moments of truth differ: a comment's note (its
# flag) depends on them, so the notes kept under one are not another's.
CONFIGS = {"none": [], "mot-a": ["tech_support", "outage"], "mot-b": ["card_lost", "fraud_alert", "billing_question"]}
for name, types in CONFIGS.items():
    if types:
        with open("%s/%s.json" % (WORK, name), "w") as f:
            f.write('{"mot_types": [%s]}\n' % ", ".join('"%s"' % t for t in types))


def check(what):
    name = rng.choice(sorted(CONFIGS)) if rng.random() < 0.3 else "none"
    CONFIG[:] = ["--config", "%s/%s.json" % (WORK, name)] if CONFIGS[name] else []
    try:
        check_with(what + (" (--config with the moments of truth of %s)" % name if CONFIG else ""))
    finally:
        CONFIG[:] = []


def check_with(what):
    by = rng.choice(BYS)
    month = rng.choice(MONTHS) if rng.random() < 0.5 else None
    rep = rng.choice(["3m", "12m"]) if rng.random() < 0.25 else None   # the report too, a window
    first = outputs("with1", by, month, None, rep)
    second = outputs("with2", by, month, None, rep)
    off = outputs("off", by, month, {"CXPULSE_CACHE": "off"}, rep)
    for d, name in ((first, "the first run with the cache"), (second, "the run after it")):
        diff = differ(off, d)
        if diff:
            fail("after %s: %s (--by %s%s) differs from a run without the cache:\n%s"
                 % (what, name, by, " --month " + month if month else "", diff))


if MOCK:
    start_mock()
cx(["import", "customers", WORK + "/d/customers.csv"])
cx(["import", "spend", WORK + "/d/spend.csv"])
first = take(ROWS * 2 // 5)
if rng.random() < 0.5:
    first.sort(key=lambda r: r[I["response_id"]])   # else in random order
said = write(first)   # into an empty store: the import writes the cache
check("the first import")
print("step 0: first import, %s" % said)
fns = [f for f, w in OPS for _ in range(w)]   # each op as often as its weight
for step_no in range(1, STEPS + 1):
    what = rng.choice(fns)()
    check(what)
    print("step %d: %s" % (step_no, what))
print("ok: seed %d, %d steps, %d rows stored (as imported); the cache %s"
      % (SEED, STEPS, len(stored), ", ".join("%s %d" % kv for kv in sorted(tally.items()))))
