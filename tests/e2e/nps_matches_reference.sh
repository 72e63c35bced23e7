# nps.csv and nps_change.csv equal an independent computation (to 1e-6), from
# the store (with a customer-attribute dimension) and from stats --input.
. tests/e2e/lib.inc
"$GEN" --rows 6000 --seed 7 --out "$T/data" >/dev/null || fail "gen-sample"
"$CX" --db "$T/db" --quiet import responses "$T/data/responses.csv" || fail "import responses"
"$CX" --db "$T/db" --quiet import customers "$T/data/customers.csv" || fail "import customers"
"$CX" --db "$T/db" --quiet stats --by channel,region,tier --out "$T/out" || fail "stats"
$PY tests/e2e/nps_reference.py "$T/data/responses.csv" --customers "$T/data/customers.csv" \
    --by channel,region,tier --check "$T/out" || fail "store run differs from the reference"
"$CX" --quiet stats --input "$T/data/responses.csv" --by channel,product --confidence 0.9 --out "$T/in" \
    || fail "stats --input"
$PY tests/e2e/nps_reference.py "$T/data/responses.csv" --by channel,product --confidence 0.9 \
    --check "$T/in" || fail "--input run differs from the reference"
# --month keeps every month in nps.csv (it feeds the trend)
"$CX" --db "$T/db" --quiet stats --month 2026-03 --out "$T/m" || fail "stats --month"
cmp -s "$T/m/nps.csv" "$T/out/nps.csv" && fail "--month run should differ only by dimensions"
$PY tests/e2e/nps_reference.py "$T/data/responses.csv" --check "$T/m" || fail "--month nps.csv"
echo "nps.csv and nps_change.csv match the independent reference (store, --input, --month)"
