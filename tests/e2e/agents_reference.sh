#!/bin/bash
# agents.csv against an independent Python implementation (to 1e-6), on
# generated data: default options, --month, --prior-strength 0,
# --min-responses and --confidence; and the `cxpulse agents` leaderboard.
# Run from the repository root with ./cxpulse built.
set -eu
here=$(dirname "$0")
gen=scripts/gen-sample
[ -x "$gen" ] || gen=build/gen-sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/cxpulse.json" <<'JSON'
{"mot_types": ["card_lost", "fraud_alert", "flight_cancelled", "outage"],
 "moment_scale": [1, 5]}
JSON
cx() { "${CXPULSE_BIN:-./cxpulse}" --quiet --config "$tmp/cxpulse.json" --db "$tmp/cx.db" "$@"; }

"$gen" --rows 6000 --seed 7 --agents 60 --out "$tmp/data" >/dev/null 2>&1
cx import responses "$tmp/data/responses.csv" >/dev/null
# The reference reads the store's exact contents, so rejected or
# re-imported rows count the same way on both sides.
cx export responses >"$tmp/export.csv"

check() {   # check NAME [stats options] -- [reference options]
    local name=$1; shift
    local sopts=() ropts=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do sopts+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    ropts=("$@")
    rm -rf "$tmp/out"
    cx stats --out "$tmp/out" ${sopts[@]+"${sopts[@]}"} >/dev/null
    if ! python3 "$here/agents_reference.py" compare "$tmp/export.csv" "$tmp/out/agents.csv" \
            --config "$tmp/cxpulse.json" ${ropts[@]+"${ropts[@]}"}; then
        echo "FAIL: agents.csv ($name)"
        exit 1
    fi
}

check default
month=$(awk -F, 'NR == 2 { print substr($2, 1, 7) }' "$tmp/data/responses.csv")
check month --month "$month" -- --month "$month"
check raw --prior-strength 0 -- --prior-strength 0
check strong --prior-strength 250 --min-responses 40 --confidence 0.9 -- \
      --prior-strength 250 --min-responses 40 --confidence 0.9

board=$(cx agents)
echo "$board" | head -n 1 | grep -q "^period: " || { echo "FAIL: agents period line"; exit 1; }
echo "$board" | sed -n 2p | grep -q "population NPS" || { echo "FAIL: agents header"; exit 1; }
first=$(awk -F, 'NR == 2 { print $1 }' "$tmp/out/agents.csv")
[ -n "$first" ] || { echo "FAIL: empty agents.csv"; exit 1; }

# The data has agents in all three tiers; the board ranks inside each one.
cx stats --out "$tmp/tiers" >/dev/null
for tier in above typical below; do
    grep -q ",$tier.\$" "$tmp/tiers/agents.csv" || { echo "FAIL: no agent in tier $tier"; exit 1; }
    echo "$board" | grep -q "^$tier *1  " || { echo "FAIL: board has no rank 1 in tier $tier"; exit 1; }
done
rows=$(($(wc -l <"$tmp/out/agents.csv") - 1))
echo "agents.csv matches the reference to 1e-6 ($rows agents; default, --month, --prior-strength 0/250, --min-responses, --confidence; tiers)"
