#!/bin/bash
# cx_reference.sh — the six CX CSVs (peak_end, moments_of_truth, spend_delta,
# spend_tests, pareto, hic) against an independent Python implementation
# (tests/e2e/cx_reference.py, pandas/scipy) to 1e-6, on a 20k-row sample:
# once with the defaults over every month, once with --month, a discount
# rate, fractional CLV years, another HIC share, window and confidence.
# Run from the repository root with ./cxpulse built.
export LC_ALL=C TZ=UTC
: "${CXPULSE_ROOT:=$PWD}"
. tests/e2e/lib.inc
set -eo pipefail
tmp=$T

"$GEN" --rows 20000 --seed 1 --out "$tmp/data" >/dev/null 2>&1
cat >"$tmp/a.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"],
 "moment_scale": [1, 5], "clv_years": 5, "hic_top": 0.20, "spend_window_days": 90}
JSON
cat >"$tmp/b.json" <<'JSON'
{"mot_types": ["card_lost", "outage", "not_in_data"],
 "moment_scale": [1, 5], "clv_years": 3.5, "discount_rate": 0.08, "hic_top": 0.15,
 "spend_window_days": 60, "confidence": 0.90}
JSON
db="$tmp/cx.db"
for kind in responses customers spend; do
    "$CX" --quiet --db "$db" --config "$tmp/a.json" import "$kind" "$tmp/data/$kind.csv"
done

"$CX" --quiet --db "$db" --config "$tmp/a.json" stats --by channel,tier --out "$tmp/a"
one=$($PY tests/e2e/cx_reference.py compare --data "$tmp/data" --config "$tmp/a.json" \
      --out "$tmp/a" --by channel,tier) || { echo "$one"; exit 1; }

"$CX" --quiet --db "$db" --config "$tmp/b.json" stats --month 2026-03 --by region,tier,product \
    --out "$tmp/b"
two=$($PY tests/e2e/cx_reference.py compare --data "$tmp/data" --config "$tmp/b.json" \
      --out "$tmp/b" --by region,tier,product --month 2026-03) || { echo "$two"; exit 1; }

# another sample, whose spend windows hold ties in decimal (the same money
# summed in another order, 0.10 + 0.20 against 0.30): deltas of exactly 0,
# neither up nor down (docs/methods.md, "Same money in decimal")
"$GEN" --rows 30000 --seed 9 --out "$tmp/data9" >/dev/null 2>&1
cat >"$tmp/c.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"],
 "moment_scale": [1, 5], "spend_window_days": 60}
JSON
db9="$tmp/cx9.db"
for kind in responses customers spend; do
    "$CX" --quiet --db "$db9" --config "$tmp/c.json" import "$kind" "$tmp/data9/$kind.csv"
done
"$CX" --quiet --db "$db9" --config "$tmp/c.json" stats --by channel --out "$tmp/c"
three=$($PY tests/e2e/cx_reference.py compare --data "$tmp/data9" --config "$tmp/c.json" \
      --out "$tmp/c" --by channel) || { echo "$three"; exit 1; }

echo "cx reference: all months [${one#ok cx reference: }]; 2026-03 with discounting [${two#ok cx reference: }]; seed 9, 60-day windows with ties in decimal [${three#ok cx reference: }]"
