# A vendor that never lets ingest move on stops it with a clear "no
# progress" error long before the deadline (60 s here): Delighted serving
# the same rows whatever `page` or `updated_since` says, SurveyMonkey
# links.next going round in a circle, pages that repeat the rows of an
# earlier page, empty pages whose links.next goes on, Formbricks ignoring
# skip, Genesys Cloud ignoring pageNumber, Zendesk cursors going round or
# serving page 1 again, and a rate-limit
# window that resets in a day (treated like a Retry-After past the
# deadline: the request fails at once).
. tests/e2e/ingest_lib.inc
start_pyserver "$CXPULSE_ROOT/tests/e2e/hostile_server.py" "$T/canary.log"
H=$B

# stops VENDOR MODE WANT: ingest exits 1 within 15 s naming WANT.
stops() {
    v=$1 mode=$2 want=$3
    sid=""; [ "$v" = surveymonkey ] && sid=',"survey_id":"123"'
    [ "$v" = zendesk ] && sid=',"email":"a@b.example"'
    [ "$v" = formbricks ] && sid=',"survey_id":"s1","nps_question":"q1"'
    [ "$v" = genesys ] && sid=",\"client_id_env\":\"CX_TEST_ID\",\"login_url\":\"$H/$mode\""
    printf '{"sources":[{"name":"h","vendor":"%s","base_url":"%s/%s","token_env":"CX_TEST_TOKEN"%s}]}\n' \
        "$v" "$H" "$mode" "$sid" > "$T/h.json"
    rm -f "$T/h.db"
    t0=$(date +%s)
    CXPULSE_BACKOFF_SCALE=1 "$CX" --config "$T/h.json" --db "$T/h.db" ingest --deadline 60 > /dev/null 2> "$T/h.err"
    rc=$? dt=$(( $(date +%s) - t0 ))
    [ $rc -eq 1 ] || fail "$v/$mode: exit $rc, want 1: $(head -c 300 "$T/h.err")"
    [ $dt -le 15 ] || fail "$v/$mode: took $dt s to stop"
    grep -q -- "$want" "$T/h.err" || fail "$v/$mode: message lacks '$want': $(head -c 300 "$T/h.err")"
    reqs=$(grep -c "^[A-Z]* /$mode/" "$T/canary.log.requests")
    summary="$summary $mode:${dt}s/$reqs"
}
summary=""
stops delighted samepage "no progress: page 2 of the responses updated at 1767225600 repeats"
stops delighted oldrows "no progress: asked for responses updated since 1767225699, got one updated at 1767225600"
stops surveymonkey nextloop "no progress: links.next of page 3 repeats a link"
stops surveymonkey ignorepage "no progress: page 2 holds the same responses as an earlier page"
stops surveymonkey emptynext "no progress: page 1 is empty but links.next goes on"
stops formbricks fbskip "no progress: page 2 (skip 99) holds the same responses as an earlier page"
CX_TEST_ID=cx-client stops genesys gxpage "no progress: page 2 holds the same conversations as an earlier page"
stops zendesk zdloop "no progress: links.next of page 3 repeats a link already followed"
stops zendesk zdsame "no progress: page 2 holds the same responses as an earlier page"
stops surveymonkey reset "rate-limit window resets in 86[34][0-9][0-9] s, after the deadline"
echo "vendors that never move on stopped at once (mode:time/requests):$summary"
