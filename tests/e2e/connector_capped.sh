# A Formbricks or Genesys server that gives fewer records per page than
# asked (it caps limit / pageSize): a short page is not taken for the end,
# and the store ends equal to the vendor's set.
. tests/e2e/ingest_lib.inc
export CX_TEST_CLIENT_ID=cx-client
start_mock --generate 300 --cap-page 7
for v in formbricks genesys; do
    case $v in
    formbricks) x=',"survey_id":"clsurvey0000mock0000nps","nps_question":"nps","comment_question":"reason"' ;;
    genesys) x=",\"client_id_env\":\"CX_TEST_CLIENT_ID\",\"login_url\":\"$BASE\"" ;;
    esac
    printf '{"sources":[{"name":"%s","vendor":"%s","base_url":"%s","token_env":"CX_TEST_TOKEN","per_page":20%s}]}\n' \
        "$v" "$v" "$BASE" "$x" > "$T/cfg.json"
    ingest 2>"$T/err" || fail "$v: $(cat "$T/err")"
    "$CX" --db "$T/store.db" export responses > "$T/export.csv" || fail "export"
    mock_get "/_mock/truth?vendor=$v" > "$T/truth.json" || fail "truth"
    $PY "$CMP" "$T/export.csv" "$T/truth.json" "$v" > "$T/cmp" || fail "$(cat "$T/cmp")"
done
echo "pages capped at 7 of 20 asked: Formbricks and Genesys read to the end"
