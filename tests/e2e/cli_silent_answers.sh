# The command line never answers silently wrong or empty (docs/cli.md,
# "Empty is an error", "Usage errors"): an option that would be ignored is
# refused (export rejects --month, stats --window without --month, -q); an
# export whose --source or --month selects nothing says so; --by sees the
# customers' attributes (stats, verbatims) and a dimension the report's
# month lacks is said; --quiet report prints nothing; the help's --month
# says the report's real default.
. tests/e2e/lib.inc
"$GEN" --rows 1500 --seed 3 --out "$T/d" >/dev/null || fail "gen-sample"
DB="$T/a.db"
"$CX" --db "$DB" --quiet import responses "$T/d/responses.csv" || fail "import responses"
"$CX" --db "$DB" --quiet import customers "$T/d/customers.csv" || fail "import customers"
printf 'response_id,responded_at,score\nb1,2026-10-05T00:00:00Z,11\nb2,2026-09-05T00:00:00Z,x\n' > "$T/bad.csv"
"$CX" --db "$DB" import responses "$T/bad.csv" 2>/dev/null
[ $? -eq 3 ] || fail "import of two bad rows: want exit 3"
# run CMD...: exit code in $rc, stdout in $T/out, stderr in $T/err
run() {
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
}
said() { grep -qF -- "$1" "$T/err" || fail "$2: stderr lacks '$1': $(head -c 400 "$T/err")"; }

# 1. export rejects --month: refused (a reject has no month), nothing written
run "$CX" --db "$DB" export rejects --month 2026-10
[ $rc -eq 2 ] || fail "export rejects --month: exit $rc, want 2"
said "export rejects: --month applies to responses only" "export rejects --month"
[ -s "$T/out" ] && fail "export rejects --month wrote: $(head -2 "$T/out")"
run "$CX" --db "$DB" export rejects
[ $rc -eq 0 ] && [ "$(grep -c '^csv,' "$T/out")" -eq 2 ] || fail "export rejects: exit $rc, $(cat "$T/out")"

# 2. export responses: a source typo, an empty month: said, nothing written
run "$CX" --db "$DB" export responses --source cvs
[ $rc -eq 2 ] || fail "export --source cvs: exit $rc, want 2"
said "export: --source cvs: the store holds no such source; did you mean csv?" "export --source cvs"
[ -s "$T/out" ] && fail "export --source cvs wrote: $(head -2 "$T/out")"
run "$CX" --db "$DB" export rejects --source cvs
[ $rc -eq 2 ] && [ ! -s "$T/out" ] || fail "export rejects --source cvs: exit $rc, want 2 and nothing written"
run "$CX" --db "$DB" export responses --month 2030-01
[ $rc -eq 1 ] || fail "export --month 2030-01: exit $rc, want 1"
said "export: no responses in 2030-01; the store holds 2025-11 to 2026-10" "export --month 2030-01"
[ -s "$T/out" ] && fail "export --month 2030-01 wrote: $(head -2 "$T/out")"
run "$CX" --db "$DB" export responses --source csv --month 2030-01
[ $rc -eq 1 ] || fail "export --source csv --month 2030-01: exit $rc, want 1"
said "export: no responses in 2030-01; source csv holds 2025-11 to 2026-10" "export --source csv --month 2030-01"
run "$CX" --db "$DB" export responses --source csv --month 2026-03
[ $rc -eq 0 ] && [ "$(wc -l < "$T/out")" -gt 10 ] || fail "export of March: exit $rc, $(wc -l < "$T/out") lines"
# the export of an empty store is its header, as before
"$CX" --db "$T/empty.db" import responses "$T/bad.csv" 2>/dev/null
run "$CX" --db "$T/empty.db" export responses
[ $rc -eq 0 ] && [ "$(wc -l < "$T/out")" -eq 1 ] || fail "export of an empty store: exit $rc, $(cat "$T/out" "$T/err")"
run "$CX" --db "$T/empty.db" export responses --month 2026-10
[ $rc -eq 1 ] && [ ! -s "$T/out" ] || fail "export --month of an empty store: exit $rc, want 1"
said "export: no responses in 2026-10; the store holds none" "export --month of an empty store"

# 3. the --month of report, agents and run says the real default
for cmd in report agents run; do
    line=$("$CX" $cmd --help | grep -- '^  --month')
    case "$line" in
    *"latest complete month"*) ;;
    *) fail "$cmd --help: $line" ;;
    esac
done
grep -q 'the trend keeps all' <("$CX" stats --help) || fail "stats --help lost its --month"

# 4. --quiet report prints nothing, and still writes the page
run "$CX" --db "$DB" --quiet report --month 2026-10 --out "$T/r"
[ $rc -eq 0 ] && [ -s "$T/r/index.html" ] || fail "--quiet report: exit $rc: $(cat "$T/err")"
[ -s "$T/out" ] || [ -s "$T/err" ] && fail "--quiet report printed: $(cat "$T/out" "$T/err")"

# 5. stats --window without --month: a usage error naming both
run "$CX" --db "$DB" stats --window 6m --out "$T/w"
[ $rc -eq 2 ] || fail "stats --window 6m without --month: exit $rc, want 2"
said "stats: --window needs --month" "stats --window"
[ -e "$T/w" ] && fail "stats --window without --month wrote $T/w"
run "$CX" --db "$DB" --quiet stats --window 6m --month 2026-10 --out "$T/w"
[ $rc -eq 0 ] || fail "stats --window 6m --month 2026-10: exit $rc: $(cat "$T/err")"

# 6. --by a dimension the report's month lacks (promo, August only): said
$PY - "$T/p.csv" <<'PYEOF'
import csv, random, sys
random.seed(1)
w = csv.writer(open(sys.argv[1], 'w', newline=''))
w.writerow(['response_id', 'responded_at', 'score', 'promo'])
for i in range(120):
    m = 8 + i % 3
    w.writerow(['p%d' % i, '2026-%02d-%02dT10:00:00Z' % (m, 1 + i % 28), random.randint(0, 10),
                random.choice('AB') if m == 8 else ''])
PYEOF
"$CX" --db "$T/p.db" --quiet import responses "$T/p.csv" || fail "import promo"
run "$CX" --db "$T/p.db" report --month 2026-10 --by promo --out "$T/rp"
[ $rc -eq 0 ] || fail "report --by promo: exit $rc: $(cat "$T/err")"
said "report: --by promo: no response in 2026-10 has a value for it; its segment rows for 2026-10 are empty" \
    "report --by promo of October"
run "$CX" --db "$T/p.db" report --month 2026-08 --by promo --out "$T/rp"
grep -q -- "--by" "$T/err" && fail "report of August questioned --by promo: $(cat "$T/err")"

# 7. customers' attributes are dimensions to the name check and to verbatims
run "$CX" --db "$DB" stats --by tiers --out "$T/x"
[ $rc -eq 2 ] || fail "stats --by tiers: exit $rc, want 2"
said "stats: --by tiers: no response or customer has it; did you mean tier?" "stats --by tiers"
run "$CX" --db "$DB" stats --by xyzzy --out "$T/x"
said "(dimensions: source, customer_id, agent_id, channel, product, interaction_type, region, tier, country)" \
    "stats --by xyzzy"
"$CX" --db "$DB" --quiet stats --by tier --out "$T/st" || fail "stats --by tier"
run "$CX" --db "$DB" --quiet verbatims --by tier --out "$T/vt"
[ $rc -eq 0 ] || fail "verbatims --by tier: exit $rc: $(cat "$T/err")"
grep '^tier=' "$T/st/themes.csv" > "$T/st.tier"
grep '^tier=' "$T/vt/themes.csv" > "$T/vt.tier"
[ -s "$T/st.tier" ] || fail "stats --by tier wrote no tier scopes"
cmp -s "$T/st.tier" "$T/vt.tier" || fail "verbatims --by tier: $(wc -l < "$T/vt.tier") tier rows, stats $(wc -l < "$T/st.tier")"

# 8. short options are unknown options, not operands
run "$CX" --db "$DB" status -q
[ $rc -eq 2 ] || fail "status -q: exit $rc, want 2"
said "unknown option -q (options are long: did you mean --quiet?)" "-q"
[ -s "$T/out" ] && fail "status -q printed: $(head -2 "$T/out")"
# 9. a file of CSAT and CES answers only: not "0 responses" as if nothing was read
printf 'response_id,responded_at,score,metric\nc1,2026-09-01T10:00:00Z,4,csat\nc2,2026-09-02T10:00:00Z,5,csat\ne1,2026-09-02T10:00:00Z,5,ces\n' > "$T/cs.csv"
"$CX" stats --input "$T/cs.csv" --out "$T/cs" 2> "$T/cs.err" || fail "stats of CSAT and CES answers: $(cat "$T/cs.err")"
grep -q "stats: 0 NPS responses, 2 CSAT and 1 CES answers (csat.csv, ces.csv)" "$T/cs.err" ||
    fail "stats of CSAT and CES answers said: $(cat "$T/cs.err")"
# 10. --out - is no folder named "-"
(cd "$T" && "$CX" --db "$DB" stats --out - > /dev/null 2> "$T/o.err"); rc=$?
[ $rc -eq 2 ] || fail "stats --out -: exit $rc, want 2"
grep -q "invalid value for --out: '-'" "$T/o.err" || fail "stats --out - said: $(cat "$T/o.err")"
[ -e "$T/-" ] && fail "stats --out - made a folder named -"
# 11. agents says the months it covers (the trailing window, narrowed to
# the months with data)
"$CX" --db "$DB" agents --month 2026-10 > "$T/ag.txt" 2> /dev/null || fail "agents"
head -1 "$T/ag.txt" | grep -Eq '^period: [A-Z][a-z]+( [0-9]{4})?(–[A-Z][a-z]+)? 2026$' ||
    fail "agents does not say its period: $(head -1 "$T/ag.txt")"
# 12. a file whose name starts with "-" is a file (the short-option check
# is for "-q" alone), and "--" ends the options
printf 'response_id,responded_at,score\nx1,2026-09-01T10:00:00Z,9\n' > "$T/-x.csv"
sed s/x1/y1/ "$T/-x.csv" > "$T/--y.csv"
(cd "$T" && "$CX" --db "$T/dash.db" --quiet import responses -x.csv) || fail "import of -x.csv"
(cd "$T" && "$CX" --db "$T/dash.db" --quiet import responses --source two -- --y.csv) || fail "import -- --y.csv"
[ "$(sqlite3 "$T/dash.db" 'SELECT count(*) FROM responses')" = 2 ] || fail "the files named with dashes were not imported"
echo "no silent answers: export scopes and --month on rejects, --window, -q refused or said; --by sees customers; --quiet report is quiet; CSAT/CES answers counted"
