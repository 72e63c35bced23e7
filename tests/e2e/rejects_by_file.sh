# Rejects are kept per file, not per name as typed (docs/formats.md,
# "rejects.csv"): `where` holds the file's canonical path, and a customers
# or spend file's is "customers:PATH:LINE" / "spend:PATH:LINE", so that
#  A  two files of one name in two folders keep their rejects apart (the
#     second import replaces none of the first's);
#  B  a customers file of the same name, and even the same file imported
#     as customers and as spend, leave a responses file's rejects alone,
#     and the responses file's unchanged re-import (store_import_seen
#     shortcut) replays its own reject, not theirs;
#  C  one file imported as jan.csv, ./jan.csv, by its absolute path and
#     through a symbolic link keeps its reject once.
# SQLite, and PostgreSQL when scripts/pg-tmp finds a server.
. tests/e2e/ingest_lib.inc
mkdir -p "$T/f/a/jan" "$T/f/a/feb" "$T/f/b/jan" "$T/f/b/crm" "$T/f/x" "$T/f/c/jan"
D=$(cd "$T/f" && pwd -P) || fail "no folder"
ln -s "$D/c/jan" "$T/f/link" || fail "symbolic link"
# each case its own ids: one store holds them all (a PostgreSQL store too)
for c in a b; do
    printf 'response_id,responded_at,score\n%sj1,2026-01-01,9\n%sj2,2026-01-02,42\n' $c $c > "$D/$c/jan/export.csv"
done
printf 'response_id,responded_at,score\naf1,2026-02-01,9\naf2,2026-02-02,x\n' > "$D/a/feb/export.csv"
printf 'customer_id,annual_value\nc1,100\nc2,abc\n' > "$D/b/crm/export.csv"
# one file that reads as responses, customers and spend, each rejecting line 3
printf 'response_id,responded_at,score,customer_id,annual_value,date,amount\nx1,2026-01-01,9,c1,100,2026-01-01,5\nx2,2026-01-02,11,c2,abc,2026-01-02,zz\n' > "$D/x/x.csv"
printf 'response_id,responded_at,score\ncj1,2026-01-01,9\ncj2,2026-01-02,42\n' > "$D/c/jan.csv"
JAN3="field 'score': score is out of range 0..10"

# rejects DB SOURCE: SOURCE's rejects as `export rejects` writes them
rejects() { "$CX" --db "$1" export rejects | tr -d '\r' | awk -F, -v s="$2" 'NR == 1 || $1 == s'; }
# imp DB DIR ARGS...: cxpulse --db DB ARGS run in DIR, stderr in $T/err, exit code in $rc
imp() {
    db=$1 dir=$2
    shift 2
    (cd "$dir" && "$CX" --db "$db" "$@") > /dev/null 2> "$T/err"
    rc=$?
}
want() { printf 'source,where,reason,raw\n' > "$T/want"; printf '%s\n' "$@" >> "$T/want"; }
same() { # same TAG DB SOURCE: SOURCE's rejects are $T/want
    rejects "$2" "$3" > "$T/got" || fail "$1: export rejects"
    cmp -s "$T/want" "$T/got" || fail "$1: rejects: $(diff "$T/want" "$T/got")"
}
not_replaced() { ! grep -q "rejects of an earlier import of this file replaced" "$T/err" || fail "$1: $(cat "$T/err")"; }

check_backend() { # check_backend TAG DB
    tag=$1 db=$2
    # A: two different files, both export.csv, in two folders
    A=$D/a
    imp "$db" "$A/jan" import responses export.csv --source a
    [ $rc -eq 3 ] || fail "$tag A: jan: exit $rc: $(cat "$T/err")"
    grep -qxF "cxpulse: $A/jan/export.csv:3: $JAN3" "$T/err" || fail "$tag A: jan's reject as shown: $(cat "$T/err")"
    grep -qxF "cxpulse: import export.csv: 2 rows: 1 new, 0 replaced, 0 unchanged, 0 older ignored, 1 rejected" "$T/err" ||
        fail "$tag A: the summary names the file as typed: $(cat "$T/err")"
    imp "$db" "$A/feb" import responses export.csv --source a
    [ $rc -eq 3 ] || fail "$tag A: feb: exit $rc: $(cat "$T/err")"
    not_replaced "$tag A: February's import replaced January's rejects"
    want "a,$A/jan/export.csv:3,$JAN3,\"aj2,2026-01-02,42\"" \
        "a,$A/feb/export.csv:3,field 'score': score is not a number,\"af2,2026-02-02,x\""
    same "$tag A" "$db" a
    # January again: its own reject replaced, February's kept
    imp "$db" "$A/jan" import responses export.csv --source a
    grep -qxF "cxpulse: import export.csv: 1 rejects of an earlier import of this file replaced" "$T/err" ||
        fail "$tag A: jan again: $(cat "$T/err")"
    want "a,$A/feb/export.csv:3,field 'score': score is not a number,\"af2,2026-02-02,x\"" \
        "a,$A/jan/export.csv:3,$JAN3,\"aj2,2026-01-02,42\""
    same "$tag A again" "$db" a

    # B: a customers file of the same name in another folder
    B=$D/b
    imp "$db" "$B/jan" import responses export.csv --source b
    imp "$db" "$B/crm" import customers export.csv --source b
    [ $rc -eq 3 ] || fail "$tag B: customers: exit $rc: $(cat "$T/err")"
    not_replaced "$tag B: the customers file replaced the responses file's rejects"
    grep -qxF "cxpulse: customers:$B/crm/export.csv:3: field 'annual_value': not a number" "$T/err" ||
        fail "$tag B: the customers reject as shown: $(cat "$T/err")"
    imp "$db" "$B/jan" import responses export.csv --source b
    [ $rc -eq 3 ] || fail "$tag B: responses again: exit $rc: $(cat "$T/err")"
    grep -qxF "cxpulse: import export.csv: 2 rows: 0 new, 0 replaced, 1 unchanged, 0 older ignored, 1 rejected" "$T/err" ||
        fail "$tag B: responses again: $(cat "$T/err")"
    grep -qxF "cxpulse: $B/jan/export.csv:3: $JAN3" "$T/err" || fail "$tag B: its own reject not shown again: $(cat "$T/err")"
    grep -q "annual_value" "$T/err" && fail "$tag B: the customers' reject replayed for the responses file: $(cat "$T/err")"
    grep -qxF "cxpulse: import export.csv: 1 rejects of an earlier import of this file replaced" "$T/err" ||
        fail "$tag B: responses again: its reject not replaced: $(cat "$T/err")"
    want "b,customers:$B/crm/export.csv:3,field 'annual_value': not a number,\"c2,abc\"" \
        "b,$B/jan/export.csv:3,$JAN3,\"bj2,2026-01-02,42\""
    same "$tag B" "$db" b

    # B': the very same file as responses, customers and spend
    X=$D/x
    raw='"x2,2026-01-02,11,c2,abc,2026-01-02,zz"'
    imp "$db" "$X" import responses x.csv --source x
    imp "$db" "$X" import customers x.csv --source x
    not_replaced "$tag B': customers of the same file"
    imp "$db" "$X" import spend x.csv --source x
    [ $rc -eq 3 ] || fail "$tag B': spend: exit $rc: $(cat "$T/err")"
    not_replaced "$tag B': spend of the same file"
    grep -qxF "cxpulse: spend:$X/x.csv:3: field 'amount': not a number" "$T/err" ||
        fail "$tag B': the spend reject as shown: $(cat "$T/err")"
    imp "$db" "$X" import responses x.csv --source x
    grep -qxF "cxpulse: import x.csv: 2 rows: 0 new, 0 replaced, 1 unchanged, 0 older ignored, 1 rejected" "$T/err" ||
        fail "$tag B': responses again: $(cat "$T/err")"
    grep -qE "annual_value|amount" "$T/err" && fail "$tag B': another kind's reject replayed: $(cat "$T/err")"
    imp "$db" "$X" import customers x.csv --source x
    grep -qxF "cxpulse: import x.csv: 1 rejects of an earlier import of this file replaced" "$T/err" ||
        fail "$tag B': customers again: $(cat "$T/err")"
    want "x,spend:$X/x.csv:3,field 'amount': not a number,$raw" \
        "x,$X/x.csv:3,$JAN3,$raw" \
        "x,customers:$X/x.csv:3,field 'annual_value': not a number,$raw"
    same "$tag B'" "$db" x

    # C: one file, four spellings
    C=$D/c
    imp "$db" "$C" import responses jan.csv --source c
    imp "$db" "$C" import responses ./jan.csv --source c
    imp "$db" "$T" import responses "$C/jan.csv" --source c
    imp "$db" "$T/f/link" import responses ../jan.csv --source c
    grep -qxF "cxpulse: import ../jan.csv: 1 rejects of an earlier import of this file replaced" "$T/err" ||
        fail "$tag C: $(cat "$T/err")"
    want "c,$C/jan.csv:3,$JAN3,\"cj2,2026-01-02,42\""
    same "$tag C" "$db" c
}
check_backend sqlite "$T/s.db"

start_pg
check_backend postgresql "$PG"
echo "rejects kept per file: two export.csv in two folders apart, customers and spend of the same name or file apart (re-import replays its own), one file under four spellings once (SQLite, PostgreSQL)"
