#!/bin/bash
# cx_effects.sh — the effects gen-sample plants (docs/sample-data.md) come
# out of cxpulse: spend up after a positive moment of truth with p = 0.85,
# down after a negative one with p = 0.70 (within 4 binomial SEs), peak-end
# predicting the score better than the plain mean, and NO significant spend
# change for routine responses (the null effect).  Seed 1, 20k rows.
export LC_ALL=C TZ=UTC
: "${CXPULSE_ROOT:=$PWD}"
. tests/e2e/lib.inc
set -eo pipefail
tmp=$T

"$GEN" --rows 20000 --seed 1 --out "$tmp/data" >/dev/null 2>&1
cat >"$tmp/cfg.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"],
 "moment_scale": [1, 5], "spend_window_days": 90}
JSON
db="$tmp/cx.db"
for kind in responses customers spend; do
    "$CX" --quiet --db "$db" --config "$tmp/cfg.json" import "$kind" "$tmp/data/$kind.csv"
done
"$CX" --quiet --db "$db" --config "$tmp/cfg.json" stats --by channel --out "$tmp/out"
$PY tests/e2e/cx_reference.py effects --out "$tmp/out"
