# Zendesk links.next naming another host (what a proxy in front of the API
# may do): the credentials are never sent there; the sync goes on with
# page[after] = meta.after_cursor and ends equal to the vendor's set.
. tests/e2e/ingest_lib.inc
start_mock --generate 400 --zendesk-link-host 127.0.0.2:9
printf '{"sources":[{"name":"zendesk","vendor":"zendesk","base_url":"%s","token_env":"CX_TEST_TOKEN","email":"cx@example.com","per_page":25}]}\n' \
    "$BASE" > "$T/cfg.json"
ingest 2>"$T/err" || fail "sync: $(cat "$T/err")"
"$CX" --db "$T/store.db" export responses > "$T/export.csv" || fail "export"
mock_get "/_mock/truth?vendor=zendesk" > "$T/truth.json" || fail "truth"
$PY "$CMP" "$T/export.csv" "$T/truth.json" zendesk > "$T/cmp" || fail "$(cat "$T/cmp")"
n=$(mock_stat requests)
[ "$n" -ge 10 ] || fail "only $n requests: the walk did not page"
echo "links.next on another host not followed; $n pages through meta.after_cursor; $(cat "$T/cmp")"
