# Every import summary's new / replaced / unchanged counts are true for
# responses, customers and spend (not "N new" or "N replaced" for a
# re-import that changed nothing), on SQLite and on PostgreSQL.
. tests/e2e/lib.inc
"$GEN" --rows 300 --seed 9 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
# edited copies: one customer's value changed, one customer added; one spend
# amount changed, one spend row dropped, one added
$PY - "$T/d" <<'PYEOF' || fail "edited files"
import csv, sys
d = sys.argv[1]
def edit(name, out, change):
    rows = list(csv.reader(open(f'{d}/{name}', newline='')))
    change(rows)
    csv.writer(open(f'{d}/{out}', 'w', newline='')).writerows(rows)
def cust(rows):
    rows[1][1] = '987654'
    rows.append(['cnew'] + [''] * (len(rows[0]) - 1))
def spend(rows):
    rows[1][2] = '123.45'
    del rows[6]
    rows.append(['cnew', '2026-01-01', '1'])
def resp(rows):
    h = rows[0]
    u, sc = h.index('updated_at'), h.index('score')
    rows[1][u] = '2031-01-01T00:00:00Z'          # a newer edit: replaced
    rows[1][sc] = str((int(rows[1][sc]) + 5) % 11)
    rows[2][u] = '2000-01-01T00:00:00Z'          # an older edit: ignored
    rows[2][sc] = str((int(rows[2][sc]) + 5) % 11)
    rows.append(['znew'] + rows[3][1:])          # a new response
edit('responses.csv', 'responses2.csv', resp)
edit('customers.csv', 'customers2.csv', cust)
edit('spend.csv', 'spend2.csv', spend)
PYEOF
nc=$(($(wc -l < "$T/d/customers.csv") - 1))
ns=$(($(wc -l < "$T/d/spend.csv") - 1))
nr=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/d/responses.csv")
check() {   # check TAG DB
    said() { "$CX" --db "$2" import "$1" "$3" 2>&1 | sed -n 's/^cxpulse: import [^:]*: \([0-9]* rows: \)/\1/p'; }
    got=$(said responses "$2" "$T/d/responses.csv")
    [ "$got" = "$nr rows: $nr new, 0 replaced, 0 unchanged, 0 older ignored, 0 rejected" ] || fail "$1 responses first: $got"
    got=$(said responses "$2" "$T/d/responses.csv")
    [ "$got" = "$nr rows: 0 new, 0 replaced, $nr unchanged, 0 older ignored, 0 rejected" ] || fail "$1 responses again: $got"
    got=$(said responses "$2" "$T/d/responses2.csv")
    [ "$got" = "$((nr + 1)) rows: 1 new, 1 replaced, $((nr - 2)) unchanged, 1 older ignored, 0 rejected" ] ||
        fail "$1 responses edited: $got"
    got=$(said customers "$2" "$T/d/customers.csv")
    [ "$got" = "$nc rows: $nc new, 0 replaced, 0 unchanged, 0 rejected" ] || fail "$1 customers first: $got"
    got=$(said customers "$2" "$T/d/customers.csv")
    [ "$got" = "$nc rows: 0 new, 0 replaced, $nc unchanged, 0 rejected" ] || fail "$1 customers again: $got"
    got=$(said customers "$2" "$T/d/customers2.csv")
    [ "$got" = "$((nc + 1)) rows: 1 new, 1 replaced, $((nc - 1)) unchanged, 0 rejected" ] || fail "$1 customers edited: $got"
    got=$(said spend "$2" "$T/d/spend.csv")
    [ "$got" = "$ns rows: $ns new, 0 replaced, 0 unchanged, 0 rejected" ] || fail "$1 spend first: $got"
    got=$(said spend "$2" "$T/d/spend.csv")
    [ "$got" = "$ns rows: 0 new, 0 replaced, $ns unchanged, 0 rejected" ] || fail "$1 spend again: $got"
    got=$(said spend "$2" "$T/d/spend2.csv")
    [ "$got" = "$ns rows: 2 new, 2 replaced, $((ns - 2)) unchanged, 0 rejected" ] || fail "$1 spend edited: $got"
    # the import log's sums, as status gives them: replaced, unchanged and
    # older ignored apart (1 + 1 + 2 replaced, 1 older)
    want="imports: *$((3 * nr + 1 + 3 * nc + 1 + 3 * ns)) rows read, 4 replaced,"
    want="$want $((2 * nr - 2 + 2 * nc - 1 + 2 * ns - 2)) unchanged, 1 older ignored; last "
    "$CX" --db "$2" status 2>&1 | grep -q "^$want" || fail "$1 status: $("$CX" --db "$2" status 2>&1 | grep imports)"
    # and the report's data-quality table, the same figures
    "$CX" --db "$2" --quiet report --out "$T/r_$1" || fail "$1 report"
    unch=$($PY -c 'import sys; print(f"{int(sys.argv[1]):,}")' $((2 * nr - 2 + 2 * nc - 1 + 2 * ns - 2)))
    for row in "Rows already held, replaced</td><td>4<" "Rows already held, unchanged</td><td>$unch<" \
        "Older versions ignored</td><td>1<"; do
        grep -qF "<tr><td>$row" "$T/r_$1/index.html" ||
            fail "$1 report: no '$row': $(grep -o '<tr><td>Rows[^/]*' "$T/r_$1/index.html")"
    done
}
check sqlite "$T/s.db"
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
if "$PGTMP" bindir > /dev/null 2>&1; then
    trap '"$PGTMP" stop "$T/pg"; rm -rf "$T"' EXIT
    eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
    check postgresql "$CXPULSE_PG_URI"
    echo "response ($nr), customer ($nc) and spend ($ns) imports count new, replaced and unchanged truly (SQLite, PostgreSQL)"
else
    echo "response ($nr), customer ($nc) and spend ($ns) imports count new, replaced and unchanged truly (SQLite; no PostgreSQL server)"
fi
