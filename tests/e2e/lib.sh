# lib.sh — shared by the end-to-end tests (sourced, not run).
set -u
CX="$CXPULSE_ROOT/cxpulse"
GEN="$CXPULSE_ROOT/scripts/gen-sample"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CXPULSE_CONFIG_HINT=none
fail() { echo "FAIL: $*"; exit 1; }
# expect_rc WANT CMD...: runs CMD, fails unless its exit code is WANT.
expect_rc() {
    want=$1; shift
    "$@"; got=$?
    [ "$got" -eq "$want" ] || fail "exit code $got, want $want: $*"
}
