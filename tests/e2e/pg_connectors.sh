# Genesys Cloud, Zendesk and Formbricks synced from the mock into a private
# PostgreSQL store (scripts/pg-tmp) and into SQLite, through 20% faults
# and edits between two syncs: each backend ends with every vendor's set
# exactly, and the two stores give byte-identical exports (responses,
# rejects) and stats outputs (NPS from Genesys and Formbricks, CSAT from
# Zendesk, agents on both).
. tests/e2e/ingest_lib.inc
start_pg
start_mock --seed 11 --generate 600
export CX_TEST_CLIENT_ID=cx-client
printf '{"sources":[
 {"name":"genesys","vendor":"genesys","base_url":"%s","token_env":"CX_TEST_TOKEN","client_id_env":"CX_TEST_CLIENT_ID","login_url":"%s","per_page":25},
 {"name":"zendesk","vendor":"zendesk","base_url":"%s","token_env":"CX_TEST_TOKEN","email":"cx@example.com","per_page":25},
 {"name":"formbricks","vendor":"formbricks","base_url":"%s","token_env":"CX_TEST_TOKEN","survey_id":"clsurvey0000mock0000nps","nps_question":"nps","comment_question":"reason","per_page":25}]}\n' \
    "$BASE" "$BASE" "$BASE" "$BASE" > "$T/cfg.json"
sync_both() {   # WHAT: one sync into each store, through 20% faults
    mock_post "/_mock/faults?fail_rate=0.08&rate_429=0.06&reset_rate=0.03&truncate_rate=0.03" || fail "faults"
    for db in "$T/s.db" "$PG"; do
        "$CX" --config "$T/cfg.json" --db "$db" --quiet ingest --allow-duplicate-ids --max-attempts 12 \
            2>>"$T/err.log" || fail "$1 into $db: $(tail -3 "$T/err.log")"
    done
    mock_post "/_mock/faults?fail_rate=0&rate_429=0&reset_rate=0&truncate_rate=0" || fail "faults off"
}
sync_both "first sync"
for _ in 1 2 3; do mock_post /_mock/mutate || fail "mutate"; done
sync_both "sync after edits"
# a sync upserts row by row: its statements leave one cx_xids row a
# (sub)transaction (the cache's notes, docs/cache.md), not one a response
xids=$(psql -X -qAt -F ' ' "$PG" -c "SELECT count(*), count(DISTINCT (tx, xmin::text, cut)),
    (SELECT count(*) FROM responses) FROM cx_xids") || fail "psql cx_xids"
set -- $xids
[ "$1" = "$2" ] || fail "cx_xids: $1 rows for $2 (sub)transactions"
[ "$1" -lt "$3" ] || fail "cx_xids: $1 rows for $3 responses"

for b in s pg; do
    db="$T/s.db"; [ $b = pg ] && db=$PG
    mkdir -p "$T/$b"
    "$CX" --db "$db" export responses > "$T/$b/export.csv" || fail "$b: export"
    "$CX" --db "$db" export rejects > "$T/$b/rejects.csv" || fail "$b: export rejects"
    "$CX" --db "$db" --quiet stats --by channel --min-responses 3 --out "$T/$b/stats" || fail "$b: stats"
    for v in genesys zendesk formbricks; do
        "$CX" --db "$db" export responses --source $v > "$T/$b/$v.csv" || fail "$b: export $v"
        mock_get "/_mock/truth?vendor=$v" > "$T/truth.json" || fail "truth"
        $PY "$CMP" "$T/$b/$v.csv" "$T/truth.json" "$v" > "$T/cmp" || fail "$b: $v: $(cat "$T/cmp")"
    done
done
n=0
for f in "$T"/s/*.csv "$T"/s/stats/*.csv; do
    g="$T/pg/${f#"$T"/s/}"
    cmp -s "$f" "$g" || fail "SQLite and PostgreSQL differ: ${f#"$T"/s/}: $(diff "$f" "$g" | head -4)"
    n=$((n + 1))
done
for f in nps.csv csat.csv agents.csv agents_csat.csv; do
    [ "$(grep -c . "$T/s/stats/$f")" -gt 1 ] || fail "stats/$f is empty: nothing compared"
done
[ "$(grep -c '^zendesk,' "$T/s/export.csv")" -gt 100 ] || fail "too few zendesk rows"
echo "PostgreSQL and SQLite: Genesys, Zendesk and Formbricks exact through faults and edits; $n files byte-identical; cx_xids $1 rows for $3 responses"
