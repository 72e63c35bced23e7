# A --by dimension that no response or customer has is a typo, not an
# empty table: stats (store, pushed-down counts, --input), report and
# verbatims (store, --input) exit 2
# naming the closest field or attribute, and write nothing.  A field the
# data has but the period does not is said, and the run goes on.
. tests/e2e/lib.inc
"$GEN" --rows 800 --seed 11 --out "$T/d" >/dev/null || fail "gen-sample"
"$CX" --db "$T/a.db" --quiet import responses "$T/d/responses.csv" || fail "import"
check() {   # CMD... ; the last line of stderr must be $want, exit 2, no CSV in $T/o
    rm -rf "$T/o"
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 2 ] || fail "$*: exit $rc, want 2 ($(cat "$T/err"))"
    [ "$(tail -1 "$T/err")" = "$want" ] || fail "$* said '$(tail -1 "$T/err")', want '$want'"
    [ -n "$(find "$T/o" -name '*.csv' 2>/dev/null)" ] && fail "$* wrote $(ls "$T/o")"
    return 0
}
want="cxpulse: stats: --by chanel: no response or customer has it; did you mean channel?"
check "$CX" --db "$T/a.db" stats --by chanel --out "$T/o"
check "$CX" --db "$T/a.db" stats --input "$T/d/responses.csv" --by chanel --out "$T/o"
want="cxpulse: stats: --by regoin: no response or customer has it; did you mean region?"
check "$CX" --db "$T/a.db" stats --by channel,regoin --out "$T/o"
check "$CX" --db "$T/a.db" stats --by regoin --tables nps --out "$T/o"
want="cxpulse: report: --by xyzzy: no response or customer has it (dimensions: source, customer_id, agent_id, channel, product, interaction_type, region)"
check "$CX" --db "$T/a.db" report --by xyzzy --out "$T/o"
want="cxpulse: verbatims: --by chanel: no response or customer has it; did you mean channel?"
check "$CX" --db "$T/a.db" verbatims --by chanel --out "$T/o"
check "$CX" --db "$T/a.db" verbatims --by region,chanel --month 2026-03 --out "$T/o"
[ -e "$T/o/verbatim_flags.csv" ] && fail "verbatims --by chanel wrote verbatim_flags.csv"
want="cxpulse: verbatims: --by regoin: no response or customer has it (dimensions: source, customer_id, agent_id, channel, product, interaction_type, or a column of the file)"
check "$CX" verbatims --input "$T/d/responses.csv" --by regoin --out "$T/o"
# the right names still work, and say nothing of dimensions
"$CX" --db "$T/a.db" stats --by channel,region --out "$T/ok" 2> "$T/err" || fail "stats --by channel,region: $(cat "$T/err")"
grep -q -- "--by" "$T/err" && fail "a good --by was questioned: $(cat "$T/err")"
grep -q '^[0-9-]*,region,' "$T/ok/nps.csv" || fail "no region rows in nps.csv"
"$CX" --db "$T/a.db" verbatims --by channel,region --out "$T/okv" > /dev/null 2> "$T/err" || fail "verbatims --by channel,region: $(cat "$T/err")"
grep -q -- "--by" "$T/err" && fail "verbatims questioned a good --by: $(cat "$T/err")"
grep -q '^region=' "$T/okv/themes.csv" || fail "no region scopes in themes.csv"
echo "--by typos exit 2 with the closest name (store, pushdown, --input, report, verbatims); good names pass"
