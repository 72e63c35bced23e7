# A responses file is read and checked on a thread of its own while the
# importing thread hands its rows to the store (ingest/import_par.c), in
# chunks of 2,048 rows or 512 KB, 16 at most out at a time.  The same import
# on one CPU (taskset: the rows read in the importing thread's own loop)
# must give the same store, rejects, messages and exit code: 40,000 rows
# (the ring of chunks goes round), blank lines, a record broken by a
# character after its closing quote, rows refused (score, date, moments),
# quoted line breaks (a row's line is not its number), a 3 MB comment (a
# chunk ended by its bytes), ids in random order, attribute columns, and
# an unterminated quote at the end (the reader's last record, kept); the
# digest noted for the file the one a staged import notes.  The same for a
# Delighted export.  The rejects are also checked against the
# lines written, so a broken build fails even on one CPU.
. tests/e2e/lib.inc
command -v taskset >/dev/null || fail "taskset is not installed (util-linux)"
"$PY" - "$T/r.csv" "$T/want.txt" <<'EOF' || fail "writing the file"
import random, sys
rnd = random.Random(28)
out, want = open(sys.argv[1], 'w', newline=''), open(sys.argv[2], 'w')
out.write('response_id,responded_at,updated_at,score,comment,customer_id,agent_id,channel,moments,region,tier\n')
ids = list(range(1, 40001))
rnd.shuffle(ids)
line = 2
for i, k in enumerate(ids):
    day = 1 + k % 28
    comment = ''
    if i % 997 == 5:
        comment = '"two\nlines, ""quoted"""'
    elif i == 20000:
        comment = 'x' * (3 << 20)
    elif i % 13 == 0:
        comment = 'fine %d' % k
    score, when, moments = str(k % 11), '2026-%02d-%02dT10:00:00Z' % (1 + k % 9, day), '4;%d;3' % (1 + k % 5)
    bad = None
    if i % 1499 == 7:
        score, bad = '11', 'score'
    elif i % 1789 == 9:
        when, bad = '2026-02-30T10:00:00Z', 'responded_at'
    elif i % 2003 == 11:
        moments, bad = '4;x;3', 'moments'
    if i % 2503 == 3:
        out.write('\n')
        line += 1
    if i % 3001 == 17:
        out.write('q%d,2026-01-01T00:00:00Z,,5,"closed"junk,c1,a1,web,,north,gold\n' % k)
        want.write('%d broken\n' % line)
        line += 1
    out.write('r%06d,%s,,%s,%s,c%d,a%d,%s,%s,%s,%s\n' % (k, when, score, comment, k % 500, k % 40,
              ['phone', 'email', 'chat'][k % 3], moments, ['north', 'south'][k % 2], 'gold' if k % 7 == 0 else ''))
    if bad:
        want.write('%d %s\n' % (line, bad))
    line += 1 + comment.count('\n')
out.write('r999999,2026-01-01T00:00:00Z,,5,"never closed,c1,a1,web,,north,\n')
want.write('%d broken\n' % line)
EOF
# one import: its output, exit code, store and rejects (without the time
# they were kept) into $T/$1.*
imp() {
    name=$1
    shift
    rm -f "$T/$name.db"*
    "$@" "$CX" --db "$T/$name.db" import responses "$T/$FILE" $FMT >"$T/$name.out" 2>&1
    echo "exit $?" >>"$T/$name.out"
    sed -i "s|$T/$name.db|STORE|g" "$T/$name.out"
    sqlite3 "$T/$name.db" ".sha3sum responses" >"$T/$name.sum" || fail "$name: no store"
    sqlite3 "$T/$name.db" "SELECT source, location, reason, hex(raw) FROM rejects ORDER BY id" >"$T/$name.rej"
}
compare() {
    imp par
    if [ "$(taskset -c 0 nproc)" = 1 ] && [ "$(nproc)" -ge 2 ]; then
        imp one taskset -c 0
        for k in out sum rej; do
            cmp -s "$T/one.$k" "$T/par.$k" || fail "$FILE: two threads and one differ ($k): $(diff "$T/one.$k" "$T/par.$k" | head -5)"
        done
        said="the same as one thread's"
    else
        said="(one CPU here: not compared with a one-thread import)"
    fi
}
FILE=r.csv FMT=
compare
grep -q "^exit 3$" "$T/par.out" || fail "exit code: $(tail -1 "$T/par.out"), want 3 (rows rejected)"
nrej=$(wc -l <"$T/want.txt")
[ "$(wc -l <"$T/par.rej")" -eq "$nrej" ] || fail "$(wc -l <"$T/par.rej") rejects, want $nrej"
# each reject's line and field as written (a row out of order, or a line
# counted wrong, fails here whatever the CPUs)
cut -d'|' -f2,3 "$T/par.rej" | sed -E "s/^.*:([0-9]+)\|(field '([a-z_]+)')?.*$/\1 \3/" >"$T/got.txt"
sed -E 's/ broken$/ /' "$T/want.txt" | cmp -s - "$T/got.txt" ||
    fail "rejects' lines: $(diff <(sed -E 's/ broken$/ /' "$T/want.txt") "$T/got.txt" | head -6)"
rows=$(sqlite3 "$T/par.db" "SELECT count(*) FROM responses")
want_rows=$((40000 - $(grep -vc broken "$T/want.txt")))
[ "$rows" = "$want_rows" ] || fail "rows: $rows, want $want_rows"
[ "$(sqlite3 "$T/par.db" "SELECT count(*) FROM responses WHERE attributes LIKE '%\"tier\":\"gold\"%'")" -gt 5000 ] ||
    fail "the attribute column is not kept"
[ "$(sqlite3 "$T/par.db" "SELECT length(comment) FROM responses WHERE comment LIKE 'xxx%'")" = $((3 << 20)) ] ||
    fail "the 3 MB comment is not whole"
[ "$(sqlite3 "$T/par.db" "SELECT count(*) FROM responses WHERE comment = 'two' || char(10) || 'lines, \"quoted\"'")" -ge 30 ] ||
    fail "the quoted comments over two lines are not whole"
first=$said
# The file's digest (noted for an import of it again, docs/performance.md
# "Import"): once the store sorts the rows itself (ids in random order,
# into an empty store) the digest's thread reads the rest of the file on
# its own (import_digest_detach); the same digest as the one a store
# holding a row already takes from the reader's bytes all along (staged,
# not sorted).
printf 'response_id,responded_at,score\nz1,2026-01-01T00:00:00Z,5\n' >"$T/z.csv"
"$CX" --db "$T/fed.db" --quiet import responses "$T/z.csv" || fail "import z.csv"
"$CX" --db "$T/fed.db" --quiet import responses "$T/r.csv" 2>/dev/null
[ $? -eq 3 ] || fail "the import into a store with a row: not exit 3"
digest() { sqlite3 "$1" "SELECT digest FROM cx_import_seen WHERE file LIKE '%/r.csv'"; }
[ "$(digest "$T/par.db" | wc -c)" -eq 65 ] || fail "no digest noted: $(digest "$T/par.db")"
[ "$(digest "$T/par.db")" = "$(digest "$T/fed.db")" ] ||
    fail "the digests differ: sorted $(digest "$T/par.db"), staged $(digest "$T/fed.db")"
# a Delighted export: its own column names, its times rewritten per row
"$PY" - "$T/r.csv" "$T/d.csv" <<'EOF' || fail "writing the Delighted file"
import csv, sys
csv.field_size_limit(1 << 30)
rows = csv.reader(open(sys.argv[1], newline=''))
w = csv.writer(open(sys.argv[2], 'w', newline=''), lineterminator='\n')
next(rows)
w.writerow(['Response ID', 'Score', 'Comment', 'Created At', 'Updated At', 'Region'])
for i, r in enumerate(rows):
    if i >= 30000 or len(r) < 10 or r[0].startswith('q'):
        continue
    w.writerow([r[0], r[3], r[4], r[1].replace('T', ' ').replace('Z', ' +0000'), '', r[9]])
EOF
FILE=d.csv FMT="--format delighted"
compare
[ "$(sqlite3 "$T/par.db" "SELECT count(*) FROM responses WHERE source = 'delighted'")" -ge 29000 ] ||
    fail "the Delighted export: $(tail -3 "$T/par.out")"
echo "a file read on a thread of its own imports $first: $want_rows rows, $nrej rejects at their lines; a Delighted export $said"
