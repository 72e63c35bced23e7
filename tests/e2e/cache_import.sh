# The analysis cache written by an import into an empty SQLite store
# (docs/cache.md, "Written by the import"): a file whose ids rise, and one
# of ids in random order (more than a batch: the store sorts it in runs
# and shows the rows again in key order), leave a cache byte-identical to
# the one the first stats would build from the store (its rows,
# generation and row mark), said with --verbose, and the runs read it
# (nothing built) with outputs equal to CXPULSE_CACHE=off.  Rejected rows
# do not reach it.  A file with an id twice (in id order or not) is
# sorted too, the store's merge settles the id, and the cache it writes is
# the one the store's rows give.  No cache is written, and none left half
# made, by an import into a store that holds rows (the next run extends
# the cache, also after a new source in random order), CXPULSE_CACHE=off,
# or an import killed with -9 (the next run is exact).
. tests/e2e/lib.inc
"$GEN" --rows 6000 --seed 7 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
$PY - "$T" <<'PYEOF' || fail "make the files"
import csv, random, sys
t = sys.argv[1]
rows = list(csv.reader(open(t + '/d/responses.csv', newline='')))
head, body = rows[0], rows[1:]
rid, sc = head.index('response_id'), head.index('score')
ids = [r[rid] for r in body]
assert ids == sorted(ids) and len(set(ids)) == len(ids), "gen-sample's ids are expected to rise"
def put(name, rs):
    with open(t + '/' + name, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(head)
        w.writerows(rs)
first, second = body[:4000], body[4000:]
bad = list(first[10]); bad[sc] = '11'                 # rejected: score off the scale
put('first.csv', first[:20] + [bad] + first[20:])
put('second.csv', second)
again = list(first[-1])                               # the last id again, newer, another score
again[head.index('updated_at')] = '2027-01-01T00:00:00Z'
again[sc] = str((int(again[sc]) + 5) % 11)
put('twice.csv', first + [again])
PYEOF
BY=channel,region,agent_id
# outs DB TAG: stats (every table), --tables nps, report and agents into
# $T/TAG; what the runs said into $T/TAG.err (--verbose)
outs() { cache_outs "$1" "$2" --verbose; }
same() { diff -r "$T/$1" "$T/$2" > "$T/diff" || fail "$2 differs from $1: $(head -5 "$T/diff")"; }
# store DB FILE...: a new store with FILE's responses and the customers and spend
store() {
    db=$1; shift
    rm -f "$db" "$db.cache"
    for f in "$@"; do "$CX" --db "$db" --quiet import responses "$f" 2>/dev/null; done
    "$CX" --db "$db" --quiet import customers "$T/d/customers.csv" || fail "import customers"
    "$CX" --db "$db" --quiet import spend "$T/d/spend.csv" || fail "import spend"
}
nocache() { [ -e "$1.cache" ] && fail "$2: a cache was written"; [ -e "$1.cache.tmp" ] && fail "$2: a cache was left half made"; return 0; }

# in id order, one row rejected: written by the import, and said
A="$T/a.db"
"$CX" --db "$A" --verbose import responses "$T/first.csv" 2>"$T/a.err"; [ $? -eq 3 ] || fail "import: not exit 3 for the rejected row"
grep -q "cache: $A.cache: written by the import (4000 responses)" "$T/a.err" ||
    fail "the import did not say it wrote the cache: $(cat "$T/a.err")"
"$CX" --db "$A" --quiet import customers "$T/d/customers.csv" || fail "import customers"
"$CX" --db "$A" --quiet import spend "$T/d/spend.csv" || fail "import spend"
[ -s "$A.cache" ] || fail "no cache after the import"
nocache_tmp() { [ -e "$1.cache.tmp" ] && fail "$2: a cache was left half made"; return 0; }
nocache_tmp "$A" first
cp "$A.cache" "$T/imported.cache"
mkdir -p "$T/off" && CXPULSE_CACHE=off outs "$A" off
outs "$A" imported
grep -q "cache:" "$T/imported.err" && fail "the runs did not read the import's cache: $(cat "$T/imported.err")"
cmp -s "$A.cache" "$T/imported.cache" || fail "the runs rewrote the import's cache"
same off imported
# the cache the first stats builds from the store is the same file, byte for byte
rm -f "$A.cache"
outs "$A" built
grep -q "cache: $A.cache: built from the store" "$T/built.err" || fail "no cache built: $(cat "$T/built.err")"
cmp "$A.cache" "$T/imported.cache" >/dev/null || fail "the import's cache differs from the one built from the store"
same off built

# a second import into the store: the import leaves the cache; the run extends it
"$CX" --db "$A" --verbose import responses "$T/second.csv" 2>"$T/second.err" || fail "import second"
grep -q "cache:" "$T/second.err" && fail "an import into a store with rows wrote the cache: $(cat "$T/second.err")"
cmp -s "$A.cache" "$T/imported.cache" || fail "an import into a store with rows changed the cache"
outs "$A" more
grep -q "extended with 2000 new responses" "$T/more.err" || fail "the cache was not extended: $(cat "$T/more.err")"
mkdir -p "$T/more_off" && CXPULSE_CACHE=off outs "$A" more_off
same more_off more

# written_exact DB TAG: the import wrote DB's cache, and it is the file
# the first stats builds from the store, byte for byte; the outputs from it
# equal CXPULSE_CACHE=off
written_exact() {
    [ -s "$1.cache" ] || fail "$2: no cache written"
    nocache_tmp "$1" "$2"
    cp "$1.cache" "$T/$2.cache"
    mkdir -p "$T/$2_stats" "$T/$2_off" "$T/$2_built"
    "$CX" --db "$1" --verbose --quiet stats --by channel,agent_id --out "$T/$2_stats" 2>"$T/$2.err" ||
        fail "stats $2"
    grep -q "cache:" "$T/$2.err" && fail "$2: the run did not read the import's cache: $(cat "$T/$2.err")"
    CXPULSE_CACHE=off "$CX" --db "$1" --quiet stats --by channel,agent_id --out "$T/$2_off" || fail "stats $2 off"
    diff -r "$T/$2_off" "$T/$2_stats" >/dev/null || fail "$2: outputs differ from CXPULSE_CACHE=off"
    rm -f "$1.cache"
    "$CX" --db "$1" --quiet stats --by channel --out "$T/$2_built" || fail "stats $2, built"
    cmp "$1.cache" "$T/$2.cache" >/dev/null || fail "$2: the import's cache differs from the one built from the store"
}
# an id twice (the last id again, newer: it replaces)
store "$T/twice.db" "$T/twice.csv"
written_exact "$T/twice.db" twice
S="$T/off.db"
rm -f "$S"
CXPULSE_CACHE=off "$CX" --db "$S" --quiet import responses "$T/second.csv" || fail "import, cache off"
nocache "$S" "CXPULSE_CACHE=off"

big_rows=60000
"$GEN" --rows $big_rows --seed 8 --responses-only --out "$T/big" >/dev/null 2>&1 || fail "gen-sample big"
# ids in random order, over several batches: sorted in runs, the cache written from their merge
$PY - "$T/big/responses.csv" "$T/shuf" <<'PYEOF' || fail "shuffle big"
import csv, random, sys
src, dst = sys.argv[1:]
rows = list(csv.reader(open(src, newline='')))
head, body = rows[0], rows[1:]
random.Random(3).shuffle(body)
for name, rs in (('.csv', body), ('-twice.csv', body + [body[7]])):
    with open(dst + name, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(head)
        w.writerows(rs)
PYEOF
R="$T/shuf.db"
"$CX" --db "$R" --verbose import responses "$T/shuf.csv" 2>"$T/shuf.err" || fail "import shuffled"
grep -q "written by the import ($big_rows responses)" "$T/shuf.err" || fail "shuffled: no cache written: $(cat "$T/shuf.err")"
nocache_tmp "$R" shuffled
cp "$R.cache" "$T/shuf.cache"
mkdir -p "$T/shuf_stats" "$T/shuf_off"
"$CX" --db "$R" --verbose --quiet stats --by channel,agent_id --out "$T/shuf_stats" 2>"$T/shuf_stats.err" || fail "stats shuffled"
grep -q "cache:" "$T/shuf_stats.err" && fail "shuffled: the run did not read the import's cache: $(cat "$T/shuf_stats.err")"
CXPULSE_CACHE=off "$CX" --db "$R" --quiet stats --by channel,agent_id --out "$T/shuf_off" || fail "stats shuffled off"
diff -r "$T/shuf_off" "$T/shuf_stats" >/dev/null || fail "shuffled: outputs differ from CXPULSE_CACHE=off"
rm -f "$R.cache"
"$CX" --db "$R" --quiet stats --by channel --out "$T/shuf_built" || fail "stats shuffled, built"
cmp "$R.cache" "$T/shuf.cache" >/dev/null || fail "shuffled: the import's cache differs from the one built from the store"
store "$T/shuf-twice.db" "$T/shuf-twice.csv"
written_exact "$T/shuf-twice.db" shuf_twice
# a new source in random order into a store with a cache (more than a
# batch: staged, the rows it had loaded straight taken back, which is no
# rewrite of the store): the run extends the cache
"$CX" --db "$A" --quiet import responses "$T/shuf.csv" --source zz --allow-duplicate-ids || fail "import a shuffled source"
mkdir -p "$T/zz" "$T/zz_off"
"$CX" --db "$A" --verbose --quiet stats --by channel,agent_id --out "$T/zz" 2>"$T/zz.err" || fail "stats after zz"
grep -q "extended with $big_rows new responses" "$T/zz.err" || fail "not extended after a shuffled source: $(cat "$T/zz.err")"
CXPULSE_CACHE=off "$CX" --db "$A" --quiet stats --by channel,agent_id --out "$T/zz_off" || fail "stats after zz, off"
diff -r "$T/zz_off" "$T/zz" >/dev/null || fail "after a shuffled source: outputs differ from CXPULSE_CACHE=off"
# ids in order past 65,536 rows, 40 of them given again at the end (20
# newer, 20 as they were) and 5 new ids among the others: the store stages
# those beside the rows it loads straight; the cache of those rows is kept
# for the next run to patch, and its outputs are the store's
"$GEN" --rows 70000 --seed 12 --responses-only --out "$T/late" >/dev/null 2>&1 || fail "gen-sample late"
$PY - "$T/late/responses.csv" "$T/late.csv" <<'PYEOF' || fail "late rows"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
head, body = rows[0], rows[1:]
ua, sc, rid = head.index('updated_at'), head.index('score'), head.index('response_id')
late = []
for k, r in enumerate(body[100:60000:1500]):
    r = list(r)
    if k % 2:
        r[ua] = '2027-01-01T00:00:00Z'
        r[sc] = str((int(r[sc]) + 4) % 11)
    late.append(r)
for r in body[200:60000:12000]:
    r = list(r)
    r[rid] += 'x'
    late.append(r)
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(head)
    w.writerows(body + late)
PYEOF
L="$T/late.db"
"$CX" --db "$L" --verbose import responses "$T/late.csv" 2>"$T/late.err" || fail "import late"
grep -q "written by the import (70000 responses; the next run adds the 45 given again later)" "$T/late.err" ||
    fail "late rows: $(cat "$T/late.err")"
"$CX" --db "$L" status | grep -q "^cache: .*the next run extends it with 5 new and 20 changed responses" ||
    fail "late rows: status says $("$CX" --db "$L" status | grep '^cache')"
written_exact_after() {
    mkdir -p "$T/$2_stats" "$T/$2_off" "$T/$2_warm"
    "$CX" --db "$1" --verbose --quiet stats --by channel,agent_id --out "$T/$2_stats" 2>"$T/$2.err" || fail "stats $2"
    grep -q "cache: .*: $3" "$T/$2.err" || fail "$2: the run said $(cat "$T/$2.err")"
    CXPULSE_CACHE=off "$CX" --db "$1" --quiet stats --by channel,agent_id --out "$T/$2_off" || fail "stats $2 off"
    diff -r "$T/$2_off" "$T/$2_stats" >/dev/null || fail "$2: outputs differ from CXPULSE_CACHE=off"
    "$CX" --db "$1" --verbose --quiet stats --by channel,agent_id --out "$T/$2_warm" 2>"$T/$2.err" || fail "stats $2"
    [ -s "$T/$2.err" ] && fail "$2: the next run said $(cat "$T/$2.err")"
    diff -r "$T/$2_off" "$T/$2_warm" >/dev/null || fail "$2: outputs from the cache differ from CXPULSE_CACHE=off"
}
written_exact_after "$L" late "extended with 5 new and 20 changed responses"

# kill -9 during imports into new stores: no store rows and no cache
# left, or a whole import and its cache; either way the next runs are exact
# kill_imports FILE ROWS: four imports of FILE (ROWS responses) killed (up
# to eight, till one is killed in its midst)
kills=0
kill_imports() {
    local K="$T/k.db" i k0=$kills ms
    rm -f "$K" "$K.cache"
    "$CX" --db "$K" --quiet import responses "$1" || fail "import $1"
    rm -rf "$T/k_ref"; mkdir -p "$T/k_ref"
    CXPULSE_CACHE=off "$CX" --db "$K" --quiet stats --by channel --out "$T/k_ref" || fail "ref $1"
    ms=$(( $(date +%s%N) / 1000000 )); rm -f "$K" "$K.cache"
    "$CX" --db "$K" --quiet import responses "$1" || fail "import $1"
    ms=$(( $(date +%s%N) / 1000000 - ms ))
    for i in 1 2 3 4 5 6 7 8; do
        [ $i -gt 4 ] && [ $kills -gt "$k0" ] && break
        rm -f "$K" "$K-wal" "$K-shm" "$K.cache"     # a temporary file a kill left is reused
        kill_during "$ms" "$CX" --db "$K" --quiet import responses "$1" || continue
        kills=$((kills + 1))
        [ -e "$K.cache" ] && [ "$(sqlite3 "$K" 'SELECT count(*) FROM responses' 2>/dev/null)" != "$2" ] &&
            fail "kill $i: a cache beside a store without the import's rows"
        "$CX" --db "$K" --quiet import responses "$1" || fail "kill $i: import again"
        rm -rf "$T/k_$i"; mkdir -p "$T/k_$i"
        "$CX" --db "$K" --quiet stats --by channel --out "$T/k_$i" || fail "kill $i: stats"
        diff -r "$T/k_ref" "$T/k_$i" >/dev/null || fail "kill $i: stats differ after a killed import of $1"
    done
    [ $kills -gt "$k0" ] || fail "no import of $1 was killed while running (one takes ${ms} ms)"
}
kill_imports "$T/big/responses.csv" $big_rows
kill_imports "$T/late.csv" 70005
echo "cache written by imports into new stores, ids in order and shuffled, an id twice too: equal to the one built from the store; not written into a store with rows (extended after, a shuffled source too), when off; $kills kills during imports"
