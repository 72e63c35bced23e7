# cache_random.sh's random walk of writes on a PostgreSQL store (its cache
# under $XDG_CACHE_HOME, its generation kept by the server; psql as the
# other program; ingests from the mock vendor among the writes): after
# each write, every output of two runs with the cache equals a run's
# without it.  Runs its own server (scripts/pg-tmp).
#   CACHE_RANDOM_SEED="S ..." CACHE_RANDOM_STEPS=N  other walks, each on a
#   database of its own (default seed 14, 20 steps, 8 on the sanitizer
#   build); a failure names its seed and step.
. tests/e2e/lib.inc
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
"$PGTMP" bindir >/dev/null 2>&1 || { echo "skipped: no PostgreSQL server (apt-get install postgresql)"; exit 0; }
trap '"$PGTMP" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
if "$CX" --db "$CXPULSE_PG_URI" status 2>&1 | grep -q "without PostgreSQL support"; then
    echo "skipped: ./cxpulse was built without libpq (the Makefile's PKGS needs libpq)"; exit 0
fi
command -v psql >/dev/null || fail "no psql (scripts/install-deps)"
steps=${CACHE_RANDOM_STEPS:-$((SAN_SCALE > 1 ? 8 : 20))}
said=
for seed in ${CACHE_RANDOM_SEED:-14}; do
    # each walk on a database and a cache directory of its own
    mkdir -p "$T/$seed/xdg"
    psql -X -q -v ON_ERROR_STOP=1 "$CXPULSE_PG_URI" -c "CREATE DATABASE walk_$seed" >/dev/null 2>"$T/createdb.err" ||
        fail "CREATE DATABASE walk_$seed: $(cat "$T/createdb.err")"
    uri=$(printf '%s' "$CXPULSE_PG_URI" | sed "s|:///cxpulse?|:///walk_$seed?|")
    XDG_CACHE_HOME="$T/$seed/xdg" "$PY" "$CXPULSE_ROOT/tests/e2e/cache_random.py" "$CX" "$GEN" "$T/$seed" "$uri" \
        "$seed" "$steps" pg 3000 "$CXPULSE_ROOT/scripts/mock-vendor" > "$T/walk" 2>&1 || walk_failed
    ok=$(tail -1 "$T/walk")
    # what the default walk went through: other seeds are explorations, and
    # a short walk on PostgreSQL may never build (every step still compared)
    if [ "$steps" -ge 20 ] && [ -z "${CACHE_RANDOM_SEED:-}" ]; then
        walk_covered "$seed" "$ok" extended read
    fi
    said="$said${said:+; }${ok#ok: }"
done
echo "a random walk of writes to a PostgreSQL store, each followed by runs with the cache equal to one without it: $said"
