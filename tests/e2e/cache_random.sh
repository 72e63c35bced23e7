# The analysis cache and its comments' notes against a random walk of
# writes (tests/e2e/cache_random.py): imports of new rows after, before
# and among the stored ids and under another source, newer and older
# versions of stored rows, unchanged re-imports, ids given twice, the
# sqlite3 shell's INSERT, UPDATE and DELETE, ingests from the mock vendor
# (new responses and edits), the cache files damaged, cut short, deleted
# or put back as they were steps before, runs and imports killed.
# After each write, every output (stats, --tables nps, agents, verbatims,
# a quarter of the time the report; a random --by, half the time one
# month) of two runs with the cache equals a run's without it.  The walk
# also has to have built (or rebuilt) the cache, extended and read it,
# taken comments' notes and ingested.
#   CACHE_RANDOM_SEED="S ..." CACHE_RANDOM_STEPS=N  other walks (default
#   seed 7, 30 steps, 8 on the sanitizer build); a failure names its seed
#   and step.  CACHE_RANDOM_ROWS=N: N rows made, 40% imported
#   first (3000; past 40,000 the cache has several blocks).
. tests/e2e/lib.inc
command -v sqlite3 >/dev/null || fail "no sqlite3 shell (scripts/install-deps)"
STEPS=${CACHE_RANDOM_STEPS:-$((SAN_SCALE > 1 ? 8 : 30))}
said=
for seed in ${CACHE_RANDOM_SEED:-7}; do
    mkdir -p "$T/$seed"
    "$PY" "$CXPULSE_ROOT/tests/e2e/cache_random.py" "$CX" "$GEN" "$T/$seed" "$T/$seed/db" "$seed" "$STEPS" \
        sqlite "${CACHE_RANDOM_ROWS:-3000}" "$CXPULSE_ROOT/scripts/mock-vendor" > "$T/walk" 2>&1 ||
        walk_failed
    ok=$(tail -1 "$T/walk")
    # what the walk went through (the default walk; the sanitizer's are
    # shorter, other seeds explorations whose every step is still compared)
    if [ "$STEPS" -ge 30 ] && [ -z "${CACHE_RANDOM_SEED:-}" ]; then
        walk_covered "$seed" "$ok" extended read "notes kept"
        grep -q ': an ingest' "$T/walk" || fail "seed $seed: the walk never ingested"
    fi
    said="$said${said:+; }${ok#ok: }"
done
echo "a random walk of writes, each followed by runs with the cache equal to one without it: $said"
