# Bounded memory with long comments (docs/performance.md, "Sixteenth
# round"): 70,000 responses whose comments run to 1,000-2,000 bytes (about
# 110 MB of CSV), ids in random order, imported into a new store, then
# `stats` from the analysis cache the import wrote and again building it,
# each under 64 MB of resident memory (the store's target at 10M rows).
# The import's batches and sorted runs end at bytes as well as rows, and so
# do the cache's blocks: by rows alone, a run's 32,768 rows of such
# comments took 50 MB and a cache block of 16,384 rows with its notes more
# than that (1M rows: 118 MB for the import, 166 MB for the first stats).
# Both runs give the same tables, and the NPS counts of `stats --input`;
# so do the runs after imports and builds killed with kill -9.  Where a
# PostgreSQL server can run, its import (which sorts the rows for its
# cache) and the first run after it are held to the same limit.
. tests/e2e/lib.inc
LIMIT_MB=64
plain_memory_only
"$GEN" --rows 70000 --responses-only --out "$T/gen" 2>/dev/null || fail "gen-sample"
$PY - "$T/gen/responses.csv" "$T/long.csv" <<'EOF' || fail "making the file"
import csv, random, sys
random.seed(19)
words = ("the agent was helpful but the wait on hold was far too long and I had to explain my "
         "problem twice before anyone understood what had gone wrong with the card").split()
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
ci = head.index("comment")
for r in body:
    r[ci] = " ".join(random.choices(words, k=random.randint(200, 400)))[:2000]
random.shuffle(body)
with open(sys.argv[2], "w", newline="") as g:
    w = csv.writer(g)
    w.writerow(head)
    w.writerows(body)
EOF
size=$(wc -c < "$T/long.csv")
[ "$size" -gt $((100 * 1048576)) ] || fail "the data ($size bytes) should pass 100 MB"
db="$T/s.db"
run_limited 300 $LIMIT_MB "$CX" --db "$db" --quiet import responses "$T/long.csv" 2> "$T/import.err" ||
    fail "import: $(cat "$T/import.err")"
[ -s "$db.cache" ] || fail "the import wrote no analysis cache"
run_limited 300 $LIMIT_MB "$CX" --db "$db" --quiet stats --by channel --out "$T/cached" 2> "$T/cached.err" ||
    fail "stats from the cache: $(cat "$T/cached.err")"
rm -f "$db.cache"
run_limited 300 $LIMIT_MB "$CX" --db "$db" --quiet stats --by channel --out "$T/built" 2> "$T/built.err" ||
    fail "stats building the cache: $(cat "$T/built.err")"
[ -s "$db.cache" ] || fail "the run built no analysis cache"
"$CX" --quiet stats --input "$T/long.csv" --by channel --out "$T/input" 2> "$T/input.err" ||
    fail "stats --input: $(cat "$T/input.err")"
n=$(awk -F, '$1 == "all" && $2 == "all" { print $4 }' "$T/input/nps.csv")
[ "$n" = 70000 ] || fail "nps.csv counts $n responses, want 70000"
# the store gives the rows in key order, the file in its own: sums and
# the examples chosen first may differ in their last digits and ids; the
# counts may not
cmp -s "$T/input/nps.csv" "$T/cached/nps.csv" || fail "nps.csv differs between the cache the import wrote and --input"
for f in "$T"/cached/*.csv; do
    cmp -s "$f" "$T/built/${f##*/}" || fail "${f##*/} differs between the cache the import wrote and a built one"
done
# kill -9 during imports into a new store, and during a run building the
# cache: the store holds every row or none, and what the runs after give
# is what the clean runs gave (batches, sorted runs and cache blocks cut
# at their bytes)
t0=$(date +%s%N)
"$CX" --db "$T/probe.db" --quiet import responses "$T/long.csv" || fail "probe import"
ms=$((($(date +%s%N) - t0) / 1000000))
killed=0
for i in 1 2 3; do
    rm -f "$T/k.db" "$T/k.db"-* "$T/k.db.cache"
    kill_during "$ms" "$CX" --db "$T/k.db" --quiet import responses "$T/long.csv" && killed=$((killed + 1))
    n=$(sqlite3 "$T/k.db" 'SELECT count(*) FROM responses' 2>/dev/null || echo 0)
    [ "$n" = 0 ] || [ "$n" = 70000 ] || fail "kill $i during the import left $n rows"
done
"$CX" --db "$T/k.db" --quiet import responses "$T/long.csv" 2>/dev/null || fail "import after the kills"
"$CX" --db "$T/k.db" --quiet stats --by channel --out "$T/k1" 2>/dev/null || fail "stats after the kills"
for f in "$T"/cached/*.csv; do
    cmp -s "$f" "$T/k1/${f##*/}" || fail "${f##*/} differs after imports killed"
done
t0=$(date +%s%N)
rm -f "$T/k.db.cache"
"$CX" --db "$T/k.db" --quiet stats --by channel --out "$T/k2" 2>/dev/null || fail "probe build"
ms=$((($(date +%s%N) - t0) / 1000000))
for i in 1 2; do
    rm -f "$T/k.db.cache"
    kill_during "$ms" "$CX" --db "$T/k.db" --quiet stats --by channel --out "$T/k3" && killed=$((killed + 1))
done
"$CX" --db "$T/k.db" --quiet stats --by channel --out "$T/k4" 2>/dev/null || fail "stats after builds killed"
"$CX" --db "$T/k.db" --quiet stats --by channel --out "$T/k5" 2>/dev/null || fail "stats from the cache after builds killed"
for f in "$T"/cached/*.csv; do
    cmp -s "$f" "$T/k4/${f##*/}" || fail "${f##*/} differs after builds killed"
    cmp -s "$f" "$T/k5/${f##*/}" || fail "${f##*/} differs from the cache after builds killed"
done
peak() { sed -n 's/.* \([0-9]*MB\):.*/\1/p' "$1"; }
# PostgreSQL, where a server can run here: its import sorts the shuffled
# rows for the cache it writes (runs ended at bytes, as SQLite's), and the
# first run reads that cache, each under the limit, with the tables of
# the SQLite store's cache
pg=""
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
if "$PGTMP" bindir >/dev/null 2>&1 && ! "$CX" --db postgresql:///x status 2>&1 | grep -q "without PostgreSQL support"; then
    trap '"$PGTMP" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
    eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
    export XDG_CACHE_HOME="$T/xdg"
    run_limited 300 $LIMIT_MB "$CX" --db "$CXPULSE_PG_URI" --verbose import responses "$T/long.csv" 2> "$T/pgimport.err" ||
        fail "PostgreSQL import: $(cat "$T/pgimport.err")"
    grep -q "cache: .*written by the import (70000 responses)" "$T/pgimport.err" ||
        fail "the PostgreSQL import wrote no cache: $(cat "$T/pgimport.err")"
    run_limited 300 $LIMIT_MB "$CX" --db "$CXPULSE_PG_URI" --quiet stats --by channel --out "$T/pgcached" 2> "$T/pgcached.err" ||
        fail "PostgreSQL stats from the cache: $(cat "$T/pgcached.err")"
    for f in "$T"/cached/*.csv; do
        cmp -s "$f" "$T/pgcached/${f##*/}" || fail "${f##*/} differs between the two stores' caches"
    done
    pg="; PostgreSQL: import $(peak "$T/pgimport.err"), stats from its cache $(peak "$T/pgcached.err")"
fi
echo "70,000 responses of long comments ($((size / 1048576)) MB, ids shuffled): import $(peak "$T/import.err"), stats from its cache $(peak "$T/cached.err"), building it $(peak "$T/built.err") of ${LIMIT_MB} MB allowed$pg; the same tables, NPS as --input; $killed of 5 kills during imports and builds hit a running one, the runs after give the same tables"
