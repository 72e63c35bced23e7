# The analysis cache of a PostgreSQL store (docs/cache.md): kept under
# $XDG_CACHE_HOME/cxpulse, exact by the server's generation (a row per
# committed writing transaction, noted by triggers): stats from it equal
# stats without it, and after an import or an edit by another client
# (psql) the stale cache is not used; kill -9 during a build leaves the
# answer exact.  Runs its own server (scripts/pg-tmp).
. tests/e2e/lib.inc
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
"$PGTMP" bindir >/dev/null 2>&1 || { echo "skipped: no PostgreSQL server (apt-get install postgresql)"; exit 0; }
trap '"$PGTMP" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
PG=$CXPULSE_PG_URI
if "$CX" --db "$PG" status 2>&1 | grep -q "without PostgreSQL support"; then
    echo "skipped: ./cxpulse was built without libpq (the Makefile's PKGS needs libpq)"; exit 0
fi
"$GEN" --rows 5000 --seed 4 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
head -2501 "$T/d/responses.csv" > "$T/first.csv"
{ head -1 "$T/d/responses.csv"; tail -n +2502 "$T/d/responses.csv"; } > "$T/second.csv"
BY=channel,region,tier
"$CX" --db "$PG" --quiet import responses "$T/first.csv" || fail "import"
"$CX" --db "$PG" --quiet import customers "$T/d/customers.csv" || fail "import customers"

outs() {   # TAG: stats and stats --tables nps into $T/TAG
    "$CX" --db "$PG" --quiet stats --by "$BY" --out "$T/$1/stats" 2>>"$T/$1.err" || fail "$1: stats"
    "$CX" --db "$PG" --quiet stats --by channel,agent_id --tables nps --out "$T/$1/nps" 2>>"$T/$1.err" ||
        fail "$1: stats --tables nps"
    [ -s "$T/$1.err" ] && fail "$1: said $(cat "$T/$1.err")"
    return 0
}
same() { diff -r "$T/$1" "$T/$2" > "$T/diff" || fail "$2 differs from $1: $(head -5 "$T/diff")"; }
# grows TAG WANT: stats --verbose says WANT of the cache, and its tables
# equal those of a run without the cache
grows() {
    "$CX" --db "$PG" --verbose stats --by "$BY" --out "$T/$1/v" 2>"$T/$1.v.err" || fail "$1: stats --verbose"
    grep -q "cache: .*$2" "$T/$1.v.err" || fail "$1: not '$2': $(grep cache: "$T/$1.v.err")"
    CXPULSE_CACHE=off "$CX" --db "$PG" --quiet stats --by "$BY" --out "$T/$1/off" || fail "$1: without the cache"
    diff -r "$T/$1/off" "$T/$1/v" > "$T/diff" || fail "$1: differs from a run without the cache: $(head -5 "$T/diff")"
}

rm -f "$XDG_CACHE_HOME"/cxpulse/pg-*.cache   # the import's (below: written by the import)
CXPULSE_CACHE=off outs off
ls "$XDG_CACHE_HOME"/cxpulse/*.cache >/dev/null 2>&1 && fail "CXPULSE_CACHE=off wrote a cache"
outs cold
ls "$XDG_CACHE_HOME"/cxpulse/pg-*.cache >/dev/null 2>&1 || fail "no cache under \$XDG_CACHE_HOME/cxpulse"
outs warm
same off cold
same off warm

# an unchanged re-import runs no statement on responses: the generation
# stays and the next run reads the same cache file (inode and mtime kept)
CF=$(ls "$XDG_CACHE_HOME"/cxpulse/pg-*.cache)
ino=$(stat -c %i.%Y "$CF")
"$CX" --db "$PG" --quiet import responses "$T/first.csv" || fail "re-import"
sleep 1
outs reimported
same off reimported
[ "$(stat -c %i.%Y "$CF")" = "$ino" ] || fail "the cache was rebuilt after an unchanged re-import"

"$CX" --db "$PG" --quiet import responses "$T/second.csv" || fail "import more"
# the rows the import wrote are merged into the cache, not every row pulled
"$CX" --db "$PG" status > "$T/status.txt" || fail "status"
grep -q "^cache: .*behind the store; the next run extends it with [1-9][0-9]* new and 0 changed" "$T/status.txt" ||
    fail "status: $(grep cache: "$T/status.txt")"
grows grown "extended with [1-9][0-9]* new responses of the store"
# every new id after the cache's last: its blocks added to the same file
# (the smallest new key from the pass that counts them), none copied
[ "$(stat -c %i "$CF")" = "${ino%.*}" ] || fail "the cache was copied, not extended in place"
# a cached row's key moved past every other: written, not new; an append
# would keep its old key, so the cache is rebuilt
psql -X -q "$PG" -c "UPDATE responses SET source = 'zz' WHERE source = 'csv' AND response_id =
    (SELECT min(response_id) FROM responses WHERE source = 'csv')" -c "INSERT INTO responses SELECT 'zzz',
    response_id, responded_at, updated_at, month, score, comment, customer_id, agent_id, channel, product,
    interaction_type, handle_time_s, moments, attributes, metric FROM responses WHERE response_id LIKE '%37'" ||
    fail "psql key moved past the last"
grows moved "built from the store"
outs after
CXPULSE_CACHE=off outs after_off
same after_off after
diff -r "$T/warm/stats" "$T/after/stats" >/dev/null && fail "the second import changed nothing"

psql -X -q "$PG" -c "UPDATE responses SET score = 10 - score WHERE response_id LIKE '%7'" || fail "psql edit"
grows patched "extended with 0 new and [1-9][0-9]* changed responses"
outs edited
CXPULSE_CACHE=off outs edited_off
same edited_off edited
diff -r "$T/after/stats" "$T/edited/stats" >/dev/null && fail "the psql edit changed nothing"

# a transaction rolled back moves nothing: the cache stays in use, and exact
psql -X -q "$PG" -c "BEGIN; DELETE FROM responses; ROLLBACK" || fail "psql rollback"
outs rolled
same edited_off rolled
# rows written in savepoints carry the savepoint's transaction id: noted
# too, a rolled back one's rows left out; frozen rows keep their xmin
psql -X -q "$PG" -c "BEGIN" -c "SAVEPOINT a" -c "UPDATE responses SET score = 10 - score WHERE response_id LIKE '%3'" \
    -c "RELEASE a" -c "SAVEPOINT b" -c "UPDATE responses SET score = 0 WHERE response_id LIKE '%5'" -c "ROLLBACK TO b" \
    -c "COMMIT" || fail "psql savepoints"
grows savepoints "extended with 0 new and [1-9][0-9]* changed responses"
psql -X -q "$PG" -c "UPDATE responses SET comment = 'changed' WHERE response_id LIKE '%11'" \
    -c "VACUUM FREEZE responses" || fail "psql freeze"
grows frozen "extended with 0 new and [1-9][0-9]* changed responses"
psql -X -q "$PG" -c "INSERT INTO responses SELECT 'copy', response_id, responded_at, updated_at, month, score, comment,
    customer_id, agent_id, channel, product, interaction_type, handle_time_s, moments, attributes, metric
    FROM responses WHERE response_id LIKE '%29'" || fail "psql insert"
grows inserted "extended with [1-9][0-9]* new responses of the store"
# a key changed leaves the old key in the cache, a delete a row: rebuilt
psql -X -q "$PG" -c "UPDATE responses SET response_id = response_id || 'x' WHERE response_id LIKE '%19'" ||
    fail "psql key change"
grows rekeyed "built from the store"
psql -X -q "$PG" -c "DELETE FROM responses WHERE response_id LIKE '%23'" || fail "psql delete"
grows deleted "built from the store"
psql -X -q "$PG" -c "INSERT INTO responses SELECT 'copy2', response_id, responded_at, updated_at, month, score, comment,
    customer_id, agent_id, channel, product, interaction_type, handle_time_s, moments, attributes, metric
    FROM responses WHERE response_id LIKE '%31'" -c "TRUNCATE cx_xids" || fail "psql insert, cx_xids emptied"
grows unnoted "built from the store"

# a role that may not delete from cx_xids (cxpulse keeps one row a
# (sub)transaction there before it commits) still imports
psql -X -q "$PG" -c "CREATE ROLE cx_writer LOGIN" -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO cx_writer" \
    -c "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO cx_writer" -c "REVOKE DELETE ON cx_xids FROM cx_writer" ||
    fail "psql role"
"$GEN" --rows 300 --seed 12 --out "$T/w" --responses-only >/dev/null 2>&1 || fail "gen-sample w"
"$CX" --db "${PG/user=cxpulse/user=cx_writer}" --quiet import responses "$T/w/responses.csv" --source writer \
    --allow-duplicate-ids ||
    fail "import by a role without DELETE on cx_xids"
[ "$(psql -X -qAt "$PG" -c "SELECT count(*) FROM responses WHERE source = 'writer'")" -gt 0 ] ||
    fail "the import by that role left no rows"
grows writer "extended with [1-9][0-9]* new responses of the store"

# an import into an empty store writes the cache (docs/cache.md, "Written
# by the import"): byte-identical to the one a run builds from the store,
# ids in order or not (below); and another client's update of the
# imported rows landing just after the import's commit (a loop waiting
# for the rows) never leaves a cache that answers for the store before it
fresh() {   # NAME: a new database's URI
    psql -X -q "$PG" -c "CREATE DATABASE $1" || fail "create database $1"
    echo "${PG/\/\/\/cxpulse?////$1?}"
}
"$GEN" --rows 3000 --seed 21 --responses-only --out "$T/g3" >/dev/null 2>&1 || fail "gen-sample g3"
# rich.csv: attributes with escapes, quotes, line breaks, non-ASCII text
$PY - "$T/g3/responses.csv" "$T/g3" <<'PYEOF' || fail "shuffle g3"
import csv, random, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
body = rows[1:]
vals = ['x', 'y"q', '\u00fc', '', 'a\\b', 'line1\nline2', 'tab\there', '=1+2', '\u2603']
rich = [rows[0] + ['zeta', 'a', 'tier \u00e9', 'back\\slash']] + [
    r + [vals[i % 9], str(i % 7), vals[(i * 5) % 9], vals[(i * 7) % 9]] for i, r in enumerate(body)]
for name, rs in (('rich.csv', rich), ('shuffled.csv', [rows[0]] + random.Random(5).sample(body, len(body)))):
    with open(sys.argv[2] + '/' + name, 'w', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows(rs)
PYEOF
P1=$(fresh cx_first)
"$CX" --db "$P1" --verbose import responses "$T/g3/rich.csv" 2>"$T/first.err" || fail "import into an empty store"
grep -q "cache: .*written by the import (3000 responses)" "$T/first.err" || fail "no cache written: $(cat "$T/first.err")"
# written_like_built DB NAME: the cache the import into DB wrote (its
# path in $T/NAME.err) is read by the next run, which gives the outputs of
# a run without it, and is byte-identical to the one a run builds
written_like_built() {
    local cf
    cf=$(grep -o "[^ ]*pg-[0-9a-f]*\.cache" "$T/$2.err")
    cp "$cf" "$T/$2.cache"
    "$CX" --db "$1" --verbose stats --by channel,zeta --out "$T/$2_on" 2>"$T/$2_on.err" || fail "$2: stats after it"
    grep -q "cache:" "$T/$2_on.err" && fail "$2: the first run did not read the cache the import wrote: $(cat "$T/$2_on.err")"
    CXPULSE_CACHE=off "$CX" --db "$1" --quiet stats --by channel,zeta --out "$T/$2_off" || fail "$2: stats, cache off"
    diff -r "$T/$2_off" "$T/$2_on" >/dev/null || fail "$2: stats from the cache the import wrote differ"
    rm -f "$cf"
    "$CX" --db "$1" --quiet stats --by channel,zeta --out "$T/$2_built" || fail "$2: stats building"
    cmp -s "$cf" "$T/$2.cache" || fail "$2: the cache the import wrote differs from the one built from the store"
}
written_like_built "$P1" first
# ids in random order, some given again (newer, older, the same time:
# each key's winner is the last row holding its greatest updated_at,
# wherever it lies in the file), rich attributes, 80,000 rows (three
# sorted runs): the import sorts them for the cache it writes, which is
# byte-identical to the one built from the store and gives the answer of
# a run without it.  So does a file in id order past the rows kept
# (32,768) with keys given again after them, and more rows in order after
# those: the rows in order are read back from their cache and merged with
# the sorted rows after.
"$GEN" --rows 80000 --seed 23 --responses-only --out "$T/g80" >/dev/null 2>&1 || fail "gen-sample g80"
$PY - "$T/g80/responses.csv" "$T/g80" <<'PYEOF' || fail "shuffle g80"
import csv, random, sys
rnd = random.Random(8)
rows = list(csv.reader(open(sys.argv[1], newline='')))
head, body = rows[0], rows[1:]
ua, sc, rid = head.index('updated_at'), head.index('score'), head.index('response_id')
vals = ['x', 'y"q', '\u00fc', '', 'a\\b', 'line1\nline2', 'tab\there', '=1+2', '\u2603']
head = head + ['zeta', 'tier \u00e9']
body = [r + [vals[i % 9], vals[(i * 5) % 9]] for i, r in enumerate(body)]
for r in body:
    r[ua] = '2026-06-15T12:00:00Z'
again = []
for k, r in enumerate(rnd.sample(body, 900)):
    c = list(r)
    c[ua] = ('2026-07-01T00:00:00Z', '2026-05-01T00:00:00Z', '2026-06-15T12:00:00Z')[k % 3]
    c[sc] = str((int(c[sc]) + 3) % 11)
    c[-1] = 'again %d' % k
    again.append(c)
mixed = body + again
rnd.shuffle(mixed)
def write(name, rows):  # the file, and the counts of row-by-row upserts in file order
    new = rep = ign = 0
    best = {}
    for r in rows:  # ISO times order as text
        k = r[rid]
        if k not in best: new += 1; best[k] = r[ua]
        elif r[ua] >= best[k]: rep += 1; best[k] = r[ua]
        else: ign += 1
    with open(sys.argv[2] + '/' + name + '.csv', 'w', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows([head] + rows)
    open(sys.argv[2] + '/' + name + '.counts', 'w').write(
        '%d rows: %d new, %d replaced, 0 unchanged, %d older ignored' % (len(rows), new, rep, ign))
write('shuffled', mixed)
write('late', body[:40000] + again[:5] + body[40000:45000] + again[5:10])
PYEOF
P2=$(fresh cx_shuffled)
"$CX" --db "$P2" --verbose import responses "$T/g80/shuffled.csv" 2>"$T/shuf.err" || fail "import shuffled"
grep -q "cache: .*written by the import (80000 responses)" "$T/shuf.err" ||
    fail "ids in random order: no cache written: $(cat "$T/shuf.err")"
grep -qF "$(cat "$T/g80/shuffled.counts")" "$T/shuf.err" ||
    fail "ids in random order: counts: $(cat "$T/shuf.err")"
written_like_built "$P2" shuf
# kill -9 during shuffled imports into new stores (the rows read and
# sorted, or merged while the server merges them): no rows and no cache,
# or the whole import and, maybe, its cache; the next runs are exact
P2=$(fresh cx_ktime)
ms=$(( $(date +%s%N) / 1000000 ))
"$CX" --db "$P2" --quiet import responses "$T/g80/shuffled.csv" || fail "timed shuffled import"
ms=$(( $(date +%s%N) / 1000000 - ms ))
pkills=0
for i in 1 2 3 4 5 6 7 8; do
    [ $i -gt 5 ] && [ $pkills -gt 0 ] && break
    P2=$(fresh cx_kill$i)
    kill_during "$ms" "$CX" --db "$P2" --quiet import responses "$T/g80/shuffled.csv" || continue
    pkills=$((pkills + 1))
    "$CX" --db "$P2" --quiet import responses "$T/g80/shuffled.csv" || fail "kill $i: import again"
    "$CX" --db "$P2" --quiet stats --by channel,zeta --out "$T/pk_$i" || fail "kill $i: stats"
    diff -r "$T/shuf_off" "$T/pk_$i" >/dev/null || fail "kill $i: stats differ after a killed shuffled import"
    "$CX" --db "$P2" --quiet stats --by channel,zeta --out "$T/pk2_$i" || fail "kill $i: stats again"
    diff -r "$T/shuf_off" "$T/pk2_$i" >/dev/null || fail "kill $i: stats differ on the run after"
done
[ $pkills -gt 0 ] || fail "no shuffled import was killed while running (one takes ${ms} ms)"
# a first import of ids in random order, none twice: the server sorts the
# staged rows before it inserts them, so the table's rows lie in key order
# (docs/performance.md, "Eighteenth round"), but where the server's heap
# takes pages out of turn (two places in 3,000 rows here; unsorted, about
# every other row is out of order)
P2=$(fresh cx_sorted)
"$CX" --db "$P2" --quiet import responses "$T/g3/shuffled.csv" || fail "import g3 shuffled"
out=$(psql -X -qAt "$P2" -c "SELECT count(*), count(*) FILTER (WHERE p >= k) FROM (SELECT ARRAY[source, response_id]
    COLLATE \"C\" AS k, lag(ARRAY[source, response_id] COLLATE \"C\") OVER (ORDER BY ctid) AS p FROM responses) x")
case "$out" in 3000\|[0-9] | 3000\|[0-2][0-9]) ;; *) fail "a shuffled first import: the table's rows not in key order ($out: rows, out of order)" ;; esac
P2=$(fresh cx_late)
"$CX" --db "$P2" --verbose import responses "$T/g80/late.csv" 2>"$T/late.err" || fail "import late"
grep -q "cache: .*written by the import" "$T/late.err" ||
    fail "keys again past the rows kept: no cache written: $(cat "$T/late.err")"
grep -qF "$(cat "$T/g80/late.counts")" "$T/late.err" || fail "keys again past the rows kept: counts: $(cat "$T/late.err")"
written_like_built "$P2" late
for i in 1 2 3 4; do
    P3=$(fresh cx_race$i)
    "$CX" --db "$P3" --quiet status >/dev/null || fail "race $i: status"
    psql -X -q "$P3" -c "DO \$\$ BEGIN FOR i IN 1..200000 LOOP PERFORM 1 FROM responses WHERE response_id = 'r000001';
        IF FOUND THEN UPDATE responses SET score = (score + 5) % 11 WHERE response_id = 'r000001'; RETURN; END IF;
        PERFORM pg_sleep(0.0002); END LOOP; END \$\$" &
    "$CX" --db "$P3" --quiet import responses "$T/g3/responses.csv" || fail "race $i: import"
    wait $! || fail "race $i: the update"
    CXPULSE_CACHE=off "$CX" --db "$P3" --quiet stats --out "$T/race_off" || fail "race $i: stats, cache off"
    "$CX" --db "$P3" --quiet stats --out "$T/race_on" || fail "race $i: stats"
    diff -r "$T/race_off" "$T/race_on" >/dev/null || fail "race $i: the cache missed an update made just after the import"
done

# kill -9 while the cache is built from the server's binary COPY: the next
# runs (building it again, then reading it) give the answer of a run
# without it, and the server goes on serving
"$GEN" --rows 60000 --seed 9 --out "$T/big" --responses-only >/dev/null 2>&1 || fail "gen-sample big"
"$CX" --db "$PG" --quiet import responses "$T/big/responses.csv" --source big --allow-duplicate-ids || fail "big import"
CXPULSE_CACHE=off "$CX" --db "$PG" --quiet stats --by channel --out "$T/big_ref" || fail "big reference"
rm -f "$XDG_CACHE_HOME"/cxpulse/pg-*.cache
t0=$(date +%s%N)
"$CX" --db "$PG" --quiet stats --by channel --out "$T/big_probe" || fail "big probe"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
killed=0
for i in 1 2 3 4 5 6; do
    [ $i -gt 3 ] && [ $killed -gt 0 ] && break
    rm -f "$XDG_CACHE_HOME"/cxpulse/pg-*.cache
    kill_during "$ms" "$CX" --db "$PG" --quiet stats --by channel --out "$T/big_k" && killed=$((killed + 1))
    "$CX" --db "$PG" --quiet stats --by channel --out "$T/big_after" 2>"$T/big.err" || fail "stats after kill $i"
    [ -s "$T/big.err" ] && fail "after kill $i: $(cat "$T/big.err")"
    diff -r "$T/big_ref" "$T/big_after" >/dev/null || fail "stats after kill $i differ"
    "$CX" --db "$PG" --quiet stats --by channel --out "$T/big_after2" || fail "stats after kill $i (cache)"
    diff -r "$T/big_ref" "$T/big_after2" >/dev/null || fail "stats from the cache after kill $i differ"
done
[ $killed -gt 0 ] || fail "no cache build was killed while running (one takes ${ms} ms)"

# kill -9 while new rows are added to the cache in place (a source that
# sorts after every other): the next runs give the answer of a run
# without the cache
"$CX" --db "$PG" --quiet stats --by channel --out "$T/big_pre" || fail "a cache before the appends"
CF=$(ls "$XDG_CACHE_HOME"/cxpulse/pg-*.cache)
cp "$CF" "$T/append.old"
head -20001 "$T/big/responses.csv" > "$T/tail.csv"
"$CX" --db "$PG" --quiet import responses "$T/tail.csv" --source zzzz --allow-duplicate-ids || fail "import zzzz"
CXPULSE_CACHE=off "$CX" --db "$PG" --quiet stats --by channel --out "$T/app_ref" || fail "append reference"
ino=$(stat -c %i "$CF")
t0=$(date +%s%N)
"$CX" --db "$PG" --verbose stats --by channel --out "$T/app_probe" 2>"$T/app.err" || fail "append probe"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -q "cache: .*extended with [1-9][0-9]* new responses" "$T/app.err" || fail "append probe: $(cat "$T/app.err")"
[ "$(stat -c %i "$CF")" = "$ino" ] || fail "append probe: the cache was copied, not extended in place"
diff -r "$T/app_ref" "$T/app_probe" >/dev/null || fail "the cache extended in place differs"
appended=0
for i in 1 2 3 4 5 6; do
    cp "$T/append.old" "$CF"
    kill_during "$ms" "$CX" --db "$PG" --quiet stats --by channel --out "$T/app_k" && appended=$((appended + 1))
    "$CX" --db "$PG" --quiet stats --by channel --out "$T/app_after" || fail "stats after append kill $i"
    diff -r "$T/app_ref" "$T/app_after" >/dev/null || fail "stats after append kill $i differ"
    "$CX" --db "$PG" --quiet stats --by channel --out "$T/app_after2" || fail "stats after append kill $i (cache)"
    diff -r "$T/app_ref" "$T/app_after2" >/dev/null || fail "stats from the cache after append kill $i differ"
    [ $appended -ge 3 ] && break
done
[ $appended -gt 0 ] || fail "no append was killed while running (one takes ${ms} ms)"
# an append whose old blocks turn out damaged half-way: the new rows'
# scan, asked of the server before the old blocks were read, is dropped
# unread, and the run reads the store on the same connection: said, and
# the answer of a run without the cache
cp "$T/append.old" "$CF"
size=$(stat -c %s "$CF")
printf '\377' | dd of="$CF" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$CX" --db "$PG" --verbose stats --by channel --out "$T/app_dmg" 2>"$T/app_dmg.err" ||
    fail "an append from a damaged cache: $(cat "$T/app_dmg.err")"
grep -q "cache: .*damaged" "$T/app_dmg.err" || fail "append, damaged: not said: $(cat "$T/app_dmg.err")"
diff -r "$T/app_ref" "$T/app_dmg" >/dev/null || fail "an append from a damaged cache differs"
# a bulk import notes what it wrote (cx_wrote: the rows inserted and
# replaced, their least key and ctid; docs/cache.md): the run that extends
# the cache reads the notes instead of counting the table, so it reads only
# the new rows' pages of responses (PostgreSQL 14 on: min(tid)); a note the
# rows no longer match (VACUUM FULL moved them below its ctid) makes the
# run find fewer rows than noted and build the cache again, exact; a note
# of a replaced row is not used alone (the table is counted: 1 changed)
tup_read() { psql -X -qAt "$1" -c "SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'responses'"; }
P4=$(fresh cx_notes)
"$CX" --db "$P4" --quiet import responses "$T/g3/responses.csv" || fail "notes: import"
# the updated rows' old versions stay where they are until the VACUUM FULL
psql -X -q "$P4" -c "ALTER TABLE responses SET (autovacuum_enabled = off)" || fail "notes: autovacuum off"
psql -X -q "$P4" -c "UPDATE responses SET comment = comment || '.' WHERE response_id < 'r001500'" ||
    fail "notes: psql update"
"$CX" --db "$P4" --quiet stats --out "$T/notes0" || fail "notes: stats after the update"
head -401 "$T/big/responses.csv" > "$T/n400.csv"
"$CX" --db "$P4" --quiet import responses "$T/n400.csv" --source zz --allow-duplicate-ids || fail "notes: import zz"
n=$(psql -X -qAt "$P4" -c "SELECT count(*) FROM responses WHERE source = 'zz'")
[ "$(psql -X -qAt "$P4" -c "SELECT ins || ' ' || rep || ' ' || k[1] FROM cx_wrote ORDER BY tx DESC LIMIT 1")" = "$n 0 zz" ] ||
    fail "notes: the import's note: $(psql -X -qAt "$P4" -c "SELECT * FROM cx_wrote")"
r0=$(tup_read "$P4")
"$CX" --db "$P4" --verbose stats --out "$T/notes1" 2>"$T/notes1.err" || fail "notes: stats"
grep -q "cache: .*extended with $n new responses" "$T/notes1.err" || fail "notes: $(grep cache: "$T/notes1.err")"
for i in $(seq 50); do r1=$(tup_read "$P4"); [ "$r1" != "$r0" ] && break; sleep 0.1; done
if [ "$(psql -X -qAt "$P4" -c "SHOW server_version_num")" -ge 140000 ]; then
    [ $((r1 - r0)) -gt 0 ] && [ $((r1 - r0)) -lt 3000 ] ||
        fail "notes: the run read $((r1 - r0)) rows of responses ($((3000 + n)) in it): the table was counted"
fi
CXPULSE_CACHE=off "$CX" --db "$P4" --quiet stats --out "$T/notes1_off" || fail "notes: stats, cache off"
diff -r "$T/notes1_off" "$T/notes1" >/dev/null || fail "notes: the extended cache differs"
"$CX" --db "$P4" --quiet import responses "$T/n400.csv" --source zzz --allow-duplicate-ids || fail "notes: import zzz"
psql -X -q "$P4" -c "VACUUM FULL responses" || fail "notes: vacuum full"
"$CX" --db "$P4" --verbose stats --out "$T/notes2" 2>"$T/notes2.err" || fail "notes: stats after VACUUM FULL"
grep -q "cache: .*built from the store" "$T/notes2.err" || fail "notes, VACUUM FULL: $(grep cache: "$T/notes2.err")"
CXPULSE_CACHE=off "$CX" --db "$P4" --quiet stats --out "$T/notes2_off" || fail "notes: stats, cache off (2)"
diff -r "$T/notes2_off" "$T/notes2" >/dev/null || fail "notes: the rebuilt cache differs"
$PY - "$T/n400.csv" "$T/n400b.csv" <<'PYEOF' || fail "notes: a changed row"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
h = rows[0]
rows[5][h.index('score')] = str(10 - int(rows[5][h.index('score')]))
rows[5][h.index('updated_at')] = '2099-01-01T00:00:00Z'
csv.writer(open(sys.argv[2], 'w', newline=''), lineterminator='\n').writerows(rows)
PYEOF
"$CX" --db "$P4" --quiet import responses "$T/n400b.csv" --source zz --allow-duplicate-ids || fail "notes: re-import"
[ "$(psql -X -qAt "$P4" -c "SELECT ins || ' ' || rep FROM cx_wrote ORDER BY tx DESC LIMIT 1")" = "0 1" ] ||
    fail "notes: the re-import's note: $(psql -X -qAt "$P4" -c "SELECT * FROM cx_wrote")"
"$CX" --db "$P4" --verbose stats --out "$T/notes3" 2>"$T/notes3.err" || fail "notes: stats after the re-import"
grep -q "cache: .*extended with 0 new and 1 changed response of" "$T/notes3.err" ||
    fail "notes, re-import: $(grep cache: "$T/notes3.err")"
CXPULSE_CACHE=off "$CX" --db "$P4" --quiet stats --out "$T/notes3_off" || fail "notes: stats, cache off (3)"
diff -r "$T/notes3_off" "$T/notes3" >/dev/null || fail "notes: the patched cache differs"
diff -r "$T/notes2" "$T/notes3" >/dev/null && fail "notes: the changed row changed nothing"

# as on Citus (pg_dist_partition there; a ctid and an xmin are a worker's
# own): the merges write no note, and a run after an import rebuilds the
# cache, never extends it, exact
P5=$(fresh cx_citus)
psql -X -q "$P5" -c "CREATE TABLE pg_dist_partition (x int)" || fail "citus: the stand-in table"
"$CX" --db "$P5" --quiet import responses "$T/g3/responses.csv" || fail "citus: import"
"$CX" --db "$P5" --quiet stats --out "$T/citus0" || fail "citus: stats"
"$CX" --db "$P5" --quiet import responses "$T/n400.csv" --source zz --allow-duplicate-ids || fail "citus: import zz"
[ "$(psql -X -qAt "$P5" -c "SELECT count(*) FROM cx_wrote")" = 0 ] || fail "citus: the merges wrote notes"
"$CX" --db "$P5" --verbose stats --out "$T/citus1" 2>"$T/citus1.err" || fail "citus: stats after the import"
grep -q "cache: .*built from the store" "$T/citus1.err" || fail "citus: $(grep cache: "$T/citus1.err")"
CXPULSE_CACHE=off "$CX" --db "$P5" --quiet stats --out "$T/citus1_off" || fail "citus: stats, cache off"
diff -r "$T/citus1_off" "$T/citus1" >/dev/null || fail "citus: the rebuilt cache differs"

# a store of schema 7 (before cx_wrote) is migrated when it is opened:
# the table made, the next import noted, its cache extended from the note
P6=$(fresh cx_v7)
"$CX" --db "$P6" --quiet import responses "$T/g3/responses.csv" || fail "v7: import"
"$CX" --db "$P6" --quiet stats --out "$T/v7a" || fail "v7: stats"
psql -X -q "$P6" -c "DROP TABLE cx_wrote" -c "ALTER TABLE imports DROP COLUMN unchanged" \
    -c "UPDATE schema_version SET version = 7" || fail "v7: make it"
"$CX" --db "$P6" --quiet import responses "$T/n400.csv" --source zz --allow-duplicate-ids || fail "v7: import zz"
[ "$(psql -X -qAt "$P6" -c "SELECT max(version) FROM schema_version")" = 10 ] || fail "v7: not migrated"
[ "$(psql -X -qAt "$P6" -c "SELECT ins || ' ' || rep FROM cx_wrote")" = "$n 0" ] ||
    fail "v7: the import after the migration: $(psql -X -qAt "$P6" -c "SELECT * FROM cx_wrote")"
"$CX" --db "$P6" --verbose stats --out "$T/v7b" 2>"$T/v7b.err" || fail "v7: stats after the import"
grep -q "cache: .*extended with $n new responses" "$T/v7b.err" || fail "v7: $(grep cache: "$T/v7b.err")"
CXPULSE_CACHE=off "$CX" --db "$P6" --quiet stats --out "$T/v7b_off" || fail "v7: stats, cache off"
diff -r "$T/v7b_off" "$T/v7b" >/dev/null || fail "v7: the extended cache differs"

echo "PostgreSQL cache: outputs identical with and without it; written by an import into an empty store (byte-identical to a build, ids in order or shuffled and given twice; exact after an update just after it); extended after an import (in place), psql edits (savepoints, frozen rows) and inserts; rebuilt after a key change, a delete, its notes emptied; kept after a rollback; extended from an import's notes without counting the table, rebuilt when they no longer match, no notes as on Citus, a schema-7 store migrated and noted; exact after $killed kills during builds, $appended during appends and $pkills during shuffled imports"
