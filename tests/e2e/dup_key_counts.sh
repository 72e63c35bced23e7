# A response_id given more than once in a responses file: the import's
# counts are those of row-by-row upserts in file order (docs/cli.md): a row
# equal to the version the store held before the import is unchanged while
# no earlier row of its key in the file has written a version of its own;
# after one has, a row not older replaces (a copy of an earlier row of the
# file too, as in a first import); the other keys' rows equal to their
# stored version stay unchanged.  Checked against a model of those upserts
# (counts and the rows kept) on SQLite and PostgreSQL, through each path of
# the SQLite bulk: the re-import of u1 u2 u3 u3 (staged, keys ascending but
# for the repeat), shuffled ids with repeats spread over the file (sorted
# runs into an empty store, then staging), an export in id order with
# repeats appended (equal rows left out of the staging, the repeats of
# their keys staged), and an export in id order into an empty store with
# late repeats at its end (loaded straight, the late rows staged).
. tests/e2e/lib.inc
. tests/e2e/ingest_lib.inc
mkdir -p "$T/d"
$PY - "$T/d" <<'PYEOF' || fail "test files"
import csv, os, random, sys, time
d = sys.argv[1]
rnd = random.Random(20260107)
H = ['response_id', 'responded_at', 'updated_at', 'score', 'comment']

def write(path, rows):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(H)
        for k, u, c in rows:
            w.writerow([k, c[0], u, c[1], c[2]])

def upserts(cur, rows):
    """Row-by-row upserts in file order: the counts and the rows kept."""
    cur, own = dict(cur), set()   # own: keys whose version a row of this file wrote
    n = [0, 0, 0, 0]              # new, replaced, unchanged, older ignored
    for k, u, c in rows:
        if k not in cur:
            n[0] += 1
        elif u < cur[k][0]:
            n[3] += 1
            continue
        elif k not in own and cur[k] == (u, c):
            n[2] += 1
            continue
        else:
            n[1] += 1
        cur[k] = (u, c)
        own.add(k)
    return n, cur

def content(i):
    return (1767225600 + 86400 * (i % 90), rnd.randrange(11), rnd.choice(['', 'ok', 'slow', 'great']))

T0 = 1767225600
scen = {}

# u1 u2 u3 u3, imported twice (the defect's reproducer)
u = [('u1', T0, (T0, 9, '')), ('u2', T0, (T0, 9, '')), ('u3', T0, (T0, 9, '')), ('u3', T0, (T0, 8, ''))]
scen['u'] = [u, u]

# shuffled ids, repeats spread over the file (more rows than a batch of
# the SQLite bulk, 8192: sorted runs into the empty store)
base = [('s%05d' % i, T0 + rnd.randrange(1000), content(i)) for i in range(20000)]
first = base[:]
rnd.shuffle(first)
n1, stored = upserts({}, first)
again = [(k, v[0], v[1]) for k, v in stored.items()]
rnd.shuffle(again)
keys = rnd.sample(sorted(stored), 60)
extra = []
for j, k in enumerate(keys):
    uo, co = stored[k]
    kind = j % 10
    if kind == 0: extra += [(k, uo, co)]                                 # a copy of the stored row
    elif kind == 1: extra += [(k, uo - 5, co)]                           # older
    elif kind == 2: extra += [(k, uo + 5, co)]                           # newer, same content
    elif kind == 3: extra += [(k, uo, (co[0], (co[1] + 1) % 11, co[2]))]  # same time, other content
    elif kind == 4: extra += [(k, uo + 5, co), (k, uo, co)]              # newer, then the stored row: older
    elif kind == 5: extra += [(k, uo, (co[0], (co[1] + 1) % 11, co[2])), (k, uo, co)]  # there and back
    elif kind == 6: extra += [(k, uo, co), (k, uo, co)]                  # three equal rows
    elif kind == 7: extra += [(k, uo - 1, co), (k, uo, co)]              # older, then equal
    elif kind == 8: extra += [('z' + k, uo, co), ('z' + k, uo, co)]      # a new key twice, equal
    else: extra += [('z' + k, uo, co), ('z' + k, uo + 1, co), ('z' + k, uo, co)]  # new, newer, older
for r in extra:   # each at a place of its own: a key's rows apart, in any order
    again.insert(rnd.randrange(len(again) + 1), r)
scen['shuffled'] = [first, again, again]

# an export in id order, a few rows edited, repeats appended at its end
# (after two batches of rows in id order: their equal rows left out)
exp = [('e%05d' % i, T0 + rnd.randrange(1000), content(i)) for i in range(20000)]
edited = [list(r) for r in exp]
for i in range(7, len(edited), 401):
    edited[i][1] += 3
edited = [tuple(r) for r in edited]
tail = []
for i in (0, 7, 100, 408, 12000, 19999):
    k, uo, co = exp[i]
    tail += [(k, uo, co)]   # the stored row again (rows 7 and 408 were edited: a copy is then older)
tail += [(exp[5][0], exp[5][1] + 9, exp[5][2]), (exp[6][0], exp[6][1] - 9, exp[6][2])]
tail += [('e00000a', T0, (T0, 3, 'x')), ('e00000a', T0, (T0, 3, 'x'))]
scen['ascending'] = [exp, edited + tail]

# an export in id order into an empty store (loaded straight), late rows at its end
big = [('b%06d' % i, T0 + i % 500, (T0, i % 11, 'c%d' % (i % 7))) for i in range(70000)]
late = [big[10], big[20000], (big[30][0], big[30][1] - 1, big[30][2]), (big[40][0], big[40][1] + 1, big[40][2]),
        ('a00001', T0, (T0, 1, '')), ('a00001', T0, (T0, 1, '')), big[69999]]
scen['late'] = [big + late, big + late]

with open(os.path.join(d, 'want'), 'w') as f:
    for name, files in scen.items():
        cur = {}
        for i, rows in enumerate(files):
            p = os.path.join(d, '%s%d.csv' % (name, i))
            write(p, rows)
            n, cur = upserts(cur, rows)
            f.write('%s %d %s: %d rows: %d new, %d replaced, %d unchanged, %d older ignored, 0 rejected\n'
                    % (name, i, p, len(rows), *n))
        with open(os.path.join(d, name + '.rows'), 'w') as g:
            for k in sorted(cur):
                uu, c = cur[k]
                g.write('%s,%s,%d,%s\n' % (k, time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(uu)), c[1], c[2]))
PYEOF

rows() {    # rows DB: response_id, updated_at, score, comment of every stored row, by id
    "$CX" --db "$1" export responses | $PY -c '
import csv, sys
for r in sorted(csv.DictReader(sys.stdin), key=lambda r: r["response_id"]):
    print("%s,%s,%s,%s" % (r["response_id"], r["updated_at"], r["score"], r["comment"]))'
}
check_backend() {   # check_backend TAG DB-FOR-SCENARIO-COMMAND
    tag=$1 mk=$2
    for name in u shuffled ascending late; do
        db=$($mk "$name") || fail "$tag: a store for $name"
        grep "^$name " "$T/d/want" | while read -r _ i want; do
            "$CX" --db "$db" import responses "$T/d/$name$i.csv" 2> "$T/err" || fail "$tag: $name $i: $(tail -1 "$T/err")"
            got=$(sed -n 's/^cxpulse: import //p' "$T/err")
            [ "$got" = "$want" ] || fail "$tag: $name, import $i: got '$got', want '$want'"
        done || exit 1
        rows "$db" > "$T/got.rows" || fail "$tag: export $name"
        cmp -s "$T/got.rows" "$T/d/$name.rows" ||
            fail "$tag: $name: the rows kept differ: $(diff "$T/got.rows" "$T/d/$name.rows" | head -5)"
    done
}

# the defect's reproducer, word for word
grep -qxF "u 1 $T/d/u1.csv: 4 rows: 0 new, 2 replaced, 2 unchanged, 0 older ignored, 0 rejected" "$T/d/want" ||
    fail "the model: $(grep '^u 1' "$T/d/want")"
sqlite_db() { echo "$T/$1.db"; }
check_backend sqlite sqlite_db
# the import log: replaced, unchanged and older ignored apart, as the summary says
[ "$(sqlite3 "$T/u.db" "SELECT rows, inserted, replaced, unchanged, ignored FROM imports ORDER BY id")" = "4|3|1|0|0
4|0|2|2|0" ] || fail "sqlite: the import log: $(sqlite3 "$T/u.db" "SELECT * FROM imports")"

start_pg
PSQL="$("$PGTMP" bindir)/psql"
pg_db() {
    "$PSQL" -X -q "$PG" -c "CREATE DATABASE cx_$1" >/dev/null || return 1
    printf '%s' "$PG" | sed "s|///cxpulse?|///cx_$1?|"
}
check_backend postgresql pg_db
echo "a key given twice: counts as row-by-row upserts (unchanged only against the stored version), SQLite and PostgreSQL alike, shuffled, in id order, late"
