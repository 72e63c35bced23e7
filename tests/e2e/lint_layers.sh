# The folders stand in layers, and every #include runs down or sideways
# inside a folder, never up (docs/architecture.md, "Layers"):
#   cli/ > report/, run/ > stats/ (with stats/text/), ingest/ > core/store/ > core/
# Folders of one layer do not include each other (report/ never run/,
# stats/ never ingest/).  Inside the tree no two modules include each other in
# a loop, a module being a .c with the .h of the same name; the files of one
# store backend (core/store/store_sqlite*, core/store/store_pg*) may.  An
# internal header (NAME_int.h) is the private side of the module whose
# public header it includes: that include is no arrow.  report/ includes
# no store header and no GSL (it renders the finished result); stats/ no
# store header; neither a database's or curl's.
. tests/e2e/lib.inc
cd "$CXPULSE_ROOT" || exit 1
out=$(python3 - <<'PY'
import os, re, sys
LAYER = {"cli": 5, "report": 4, "run": 4, "stats": 3, "stats/text": 3, "ingest": 3,
         "core/store": 2, "core": 1}
BACKENDS = ("core/store/store_sqlite", "core/store/store_pg")
inc = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
sys_inc = re.compile(r'^\s*#\s*include\s*<([^>]+)>')
# What a folder may not include even below it: report/ renders the finished
# result (no store, no statistics library, not the NPS estimators of
# stats/nps.h: their plain values are in stats/nps_types.h); stats/ computes from what the
# drivers feed it (no store); neither talks to a database or the network.
FORBID = {
    "report": ("core/store/", "gsl/", "sqlite3.h", "libpq-fe.h", "curl/", "stats/nps.h"),
    "stats": ("core/store/", "sqlite3.h", "libpq-fe.h", "curl/"),
}
files = []
bad = []
for top_dir in ("cli", "report", "run", "stats", "ingest", "core"):
    for d, subs, names in sorted(os.walk(top_dir)):
        subs.sort()
        srcs = sorted(n for n in names if n.endswith((".c", ".h")))
        if srcs and d not in LAYER:
            bad.append("%s/ holds sources but has no layer here nor in docs/architecture.md" % d)
        files += [d + "/" + n for n in srcs]
def folder(p): return os.path.dirname(p)
def top(p):
    d = folder(p)
    return "stats" if d == "stats/text" else d
def unit(p): return os.path.splitext(p)[0]
def backend(u):
    for b in BACKENDS:
        if u == b or u.startswith(b + "_"): return b
    return None
edges = {}
for f in files:
    for no, line in enumerate(open(f, encoding="utf-8", errors="replace"), 1):
        m = inc.match(line) or sys_inc.match(line)
        if not m: continue
        t = m.group(1)
        for what in FORBID.get(top(f), ()):
            if t.startswith(what):
                bad.append("%s:%d: includes %s: %s/ may not include %s" % (f, no, t, top(f), what))
        if not inc.match(line): continue
        if not os.path.exists(t):
            bad.append("%s:%d: includes %s, not a file of the tree" % (f, no, t)); continue
        if folder(t) not in LAYER:
            bad.append("%s:%d: includes %s, outside the layers" % (f, no, t)); continue
        if folder(f) not in LAYER:
            continue
        a, b = top(f), top(t)
        if a != b and LAYER[folder(t)] >= LAYER[folder(f)]:
            bad.append("%s:%d: includes %s: %s/ may not include %s/ (same layer or above)" % (f, no, t, a, b))
        # An internal header (NAME_int.h) is the private side of the module
        # whose public header it includes: that include is no arrow.
        if f.endswith("_int.h") and folder(t) == folder(f):
            continue
        if unit(t) != unit(f):
            edges.setdefault(unit(f), set()).add(unit(t))
# loops between modules (a .c and its .h are one module), by Tarjan's SCC
index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: sccs.append(sorted(c))
for v in sorted(set(edges) | {w for s in edges.values() for w in s}):
    if v not in index: strong(v)
for c in sccs:
    if len({backend(u) for u in c}) == 1 and backend(c[0]):
        continue
    bad.append("include loop: " + " -> ".join(c))
for b in bad: print("BAD " + b)
print("%d files, %d modules" % (len(files), len({unit(f) for f in files})))
PY
) || fail "the include check did not run: $out"
bad=$(echo "$out" | grep '^BAD ' | sed 's/^BAD //')
[ -z "$bad" ] || fail "includes that break the layers: $bad"
echo "$out" | grep -qE '^[0-9]{3,} files' || fail "too few sources read: $out"
echo "layers: $(echo "$out" | tail -n 1), no include up, no loop"
