# The store conformance cases (tests/unit/test_store*.c) against a
# PostgreSQL server of their own: `make unit` runs them on SQLite only.
# The build's programs, the sanitizer build's on the sanitizer pass
# (E2E_SANITIZER, make e2e-asan): each once in `make check`.
. tests/e2e/lib.inc
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
"$PGTMP" bindir >/dev/null || { echo "skipped: no PostgreSQL server (apt-get install postgresql)"; exit 0; }
bins=""
dirs="build build-asan"
[ "${E2E_SANITIZER:-0}" = 1 ] && dirs="build-asan build"
for d in $dirs; do
    [ -z "$bins" ] || break # the other build's only when this one has none
    for p in test_store test_store_bulk test_store_bulk_large test_store_bulk_guard test_store_tables test_store_summary test_store_seen; do
        [ -x "$CXPULSE_ROOT/$d/tests/$p" ] && bins="$bins $d/tests/$p"
    done
done
[ -n "$bins" ] || { echo "skipped: build/tests/test_store is not built (make unit)"; exit 0; }
trap '"$PGTMP" stop "$T/pg"; rm -rf "$T"' EXIT
eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
summary=""
for b in $bins; do
    "$CXPULSE_ROOT/$b" > "$T/log" 2>&1 || { cat "$T/log"; fail "$b against PostgreSQL"; }
    if grep -q "built without libpq" "$T/log"; then
        echo "skipped: $b was built without libpq (the Makefile's PKGS needs libpq)"; exit 0
    fi
    summary="$summary $b: $(grep -o 'Checks: [0-9]*, Failures: 0, Errors: 0' "$T/log");"
done
echo "store conformance on SQLite and PostgreSQL:$summary"
