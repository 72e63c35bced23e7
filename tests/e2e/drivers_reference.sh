# drivers.csv equals an independent computation (to 1e-6), and each
# dimension's effects add up to its NPS change: from the store (with a
# customer-attribute dimension and --month), from stats --input, and with
# segments that exist in only one of the two months.
. tests/e2e/lib.inc
"$GEN" --rows 8000 --seed 11 --out "$T/data" >/dev/null || fail "gen-sample"
# A segment only in the previous month and one only in the report month
# (the sample's last two months are 2026-09 and 2026-10).
cat >>"$T/data/responses.csv" <<'ROWS'
x1,2026-09-03T10:00:00Z,,9,,,,fax,,,,,
x2,2026-09-04T10:00:00Z,,2,,,,fax,,,,,
x3,2026-10-05T10:00:00Z,,10,,,,kiosk,,,,,
x4,2026-10-06T10:00:00Z,,10,,,,kiosk,,,,,
x5,2026-10-07T10:00:00Z,,6,,,,kiosk,,,,,
ROWS
"$CX" --db "$T/db" --quiet import responses "$T/data/responses.csv" || fail "import responses"
"$CX" --db "$T/db" --quiet import customers "$T/data/customers.csv" || fail "import customers"
"$CX" --db "$T/db" --quiet stats --by channel,region,tier --out "$T/out" || fail "stats"
grep -q '^2026-10,2026-09,channel,kiosk,0,3,,' "$T/out/drivers.csv" || fail "kiosk row (absent in 2026-09)"
grep -q '^2026-10,2026-09,channel,fax,2,0,0,,' "$T/out/drivers.csv" || fail "fax row (absent in 2026-10)"
$PY tests/e2e/drivers_reference.py "$T/data/responses.csv" --customers "$T/data/customers.csv" \
    --by channel,region,tier --check "$T/out" || fail "store run differs from the reference"
"$CX" --db "$T/db" --quiet stats --by product,channel --month 2026-03 --confidence 0.9 --out "$T/m" \
    || fail "stats --month"
$PY tests/e2e/drivers_reference.py "$T/data/responses.csv" --by product,channel --month 2026-03 \
    --confidence 0.9 --check "$T/m" || fail "--month run differs from the reference"
"$CX" --quiet stats --input "$T/data/responses.csv" --by channel,product --out "$T/in" \
    || fail "stats --input"
$PY tests/e2e/drivers_reference.py "$T/data/responses.csv" --by channel,product --check "$T/in" \
    || fail "--input run differs from the reference"
"$CX" --db "$T/db" --quiet stats --tables nps --by channel --out "$T/push" || fail "stats --tables nps"
cmp -s "$T/push/drivers.csv" "$T/out/drivers.csv" && fail "--tables nps should have one dimension only"
$PY tests/e2e/drivers_reference.py "$T/data/responses.csv" --by channel --check "$T/push" \
    || fail "pushed-down counts differ from the reference"
# No previous month: a header only.
"$CX" --db "$T/db" --quiet stats --by channel --month 2025-11 --out "$T/first" || fail "first month"
[ "$(wc -l <"$T/first/drivers.csv")" -eq 1 ] || fail "first month should have no drivers rows"
echo "drivers.csv matches the independent reference (store, --month, --input, pushdown, absent segments)"
