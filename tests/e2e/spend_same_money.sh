# The same money is the same number across windows, customers and the
# rest of the data (docs/methods.md, Spend deltas), from the store and
# from --input:
# - deltas equal in decimal but not in binary (0.1 + 0.2 after against
#   0.3 after) have no variation: spend_delta.csv's t and p and
#   spend_tests.csv's t, df and p are empty (python's decimal: the SD of
#   [0.3, 0.3, 0.3] and of [0.8, 0.8] is 0), not t = 1e16;
# - one amount of 7 decimal places outside every window leaves the other
#   customers' deltas exactly 0 (400 customers; before, it turned the rule
#   off for all and made a "significant" change of ±1e-16);
# - T1 from spend ties in money (0.3 against 0.1 + 0.2): the tie is broken
#   by customer_id (SPEC: T1 descending, then customer_id), so `a`, the
#   promoter, is the high-impact customer.
. tests/e2e/lib.inc
cd "$T" || fail "cd"
printf '{ "store": "x.db" }\n' > cfg.json
run() { # run NAME RESPONSES CUSTOMERS SPEND OPTIONS...: stats from a new store into o_NAME
    name=$1 resp=$2 cust=$3 spend=$4
    shift 4
    rm -f "$name.db"
    for k in "responses $resp" "customers $cust" "spend $spend"; do
        # shellcheck disable=SC2086
        "$CX" --quiet --config cfg.json --db "$name.db" import $k || fail "$name: import $k"
    done
    "$CX" --quiet --config cfg.json --db "$name.db" stats --out "o_$name" "$@" || fail "$name: stats"
}
field() { # field FILE GROUP COLUMN: the column of the row whose second field is GROUP
    "$PY" - "$@" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
col = rows[0].index(sys.argv[3])
print(next(r[col] for r in rows[1:] if r[1] == sys.argv[2] or r[0] == sys.argv[2]))
PYEOF
}

# 1. no variation across customers
printf 'customer_id,annual_value\nA,10\nB,10\nC,10\nD,10\nE,10\n' > c1.csv
printf 'customer_id,date,amount\nzz,2026-01-01,0\nzz,2026-12-31,0\nA,2026-06-20,0.1\nA,2026-06-21,0.2\nB,2026-06-20,0.3\nC,2026-06-22,0.3\nD,2026-06-20,0.7\nD,2026-06-21,0.1\nE,2026-06-20,0.8\n' > s1.csv
printf 'response_id,responded_at,score,customer_id\nr1,2026-06-10T00:00:00Z,10,A\nr2,2026-06-10T00:00:00Z,10,B\nr3,2026-06-10T00:00:00Z,10,C\nr4,2026-06-10T00:00:00Z,2,D\nr5,2026-06-10T00:00:00Z,2,E\n' > r1.csv
run one r1.csv c1.csv s1.csv --spend-window 30
for g in promoter detractor; do
    for c in t p_value; do
        v=$(field o_one/spend_delta.csv "$g" "$c")
        [ -z "$v" ] || fail "$g: $c '$v' for deltas of one value (want empty)"
    done
done
[ "$(field o_one/spend_delta.csv promoter mean_delta)" = 0.3 ] || fail "promoter mean_delta $(field o_one/spend_delta.csv promoter mean_delta)"
[ "$(field o_one/spend_delta.csv promoter ci_low)" = 0.3 ] || fail "promoter ci_low $(field o_one/spend_delta.csv promoter ci_low)"
for c in t df p_value; do
    v=$(field o_one/spend_tests.csv "promoter vs detractor" "$c")
    [ -z "$v" ] || fail "promoter vs detractor: $c '$v' for two groups of no variation (want empty)"
done

# 2. one amount of 7 places elsewhere
"$PY" - <<'PYEOF'
import random
random.seed(7)
with open('r2.csv', 'w') as R, open('s2.csv', 'w') as S, open('c2.csv', 'w') as C:
    R.write('response_id,responded_at,score,customer_id\n')
    S.write('customer_id,date,amount\nzz,2026-01-01,0\nzz,2026-12-31,0\n')
    C.write('customer_id,annual_value\n')
    for c in range(400):
        cid = 'k%03d' % c
        C.write(cid + ',\n')
        R.write('q%d,2026-06-15T10:00:00Z,%d,%s\n' % (c, random.choice([0, 3, 8, 9, 10]), cid))
        if c % 2 == 0:
            S.write('%s,2026-06-01,0.1\n%s,2026-06-02,0.2\n%s,2026-06-20,0.3\n' % (cid, cid, cid))
        else:
            S.write('%s,2026-06-01,0.7\n%s,2026-06-02,0.1\n%s,2026-06-20,0.8\n' % (cid, cid, cid))
    S.write('k399,2026-01-05,0.1234567\n')
PYEOF
run two r2.csv c2.csv s2.csv --spend-window 30
for g in promoter passive detractor; do
    for c in mean_delta up_share down_share; do
        v=$(field o_two/spend_delta.csv "$g" "$c")
        [ "$v" = 0 ] || fail "$g: $c '$v' with one 7-place amount outside the windows (want 0)"
    done
done
[ -z "$(field o_two/spend_tests.csv "promoter vs detractor" p_value)" ] || fail "a p-value for deltas that are all 0"

# 3. T1 ties in money
printf '{ "store": "x.db", "hic_top": 0.2 }\n' > cfg.json
printf 'customer_id,annual_value\na,\nb,\nc,0.1\nd,0.1\ne,0.1\n' > c3.csv
printf 'customer_id,date,amount\na,2026-06-01,0.3\nb,2026-06-01,0.1\nb,2026-06-02,0.2\n' > s3.csv
printf 'response_id,responded_at,score,customer_id\nr1,2026-06-10T00:00:00Z,10,a\nr2,2026-06-10T00:00:00Z,0,b\n' > r3.csv
run three r3.csv c3.csv s3.csv
[ "$(field o_three/hic.csv hic nps)" = 100 ] || fail "hic: nps $(field o_three/hic.csv hic nps), want 100 (customer a by id)"
[ "$(field o_three/hic.csv hic revenue_at_risk)" = 0 ] || fail "hic: revenue_at_risk $(field o_three/hic.csv hic revenue_at_risk), want 0"
[ "$(field o_three/hic.csv other revenue_at_risk)" = 1.5 ] || fail "other: revenue_at_risk $(field o_three/hic.csv other revenue_at_risk), want 1.5"
echo "the same money: deltas of one value without t or p, a 7-place amount elsewhere changes no delta, T1 ties broken by id"
