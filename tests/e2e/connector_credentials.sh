# sources and status check every environment variable a source's
# credentials come from: $token_env for every vendor and, for Genesys,
# $client_id_env too (its OAuth client id).  A source is "set" only when
# all of them are set and non-empty; each missing one is named (by its
# variable's name, never a value) with the config key that names it.
. tests/e2e/lib.inc
cat > "$T/c.json" <<'JSON'
{"sources":[
 {"name":"gen","vendor":"genesys","base_url":"https://api.example","token_env":"CXT_GEN_SECRET",
  "client_id_env":"CXT_GEN_CLIENT","login_url":"https://login.example"},
 {"name":"zd","vendor":"zendesk","base_url":"https://z.example","token_env":"CXT_ZD_TOKEN","email":"cx@example.com"}]}
JSON
unset CXT_GEN_SECRET CXT_GEN_CLIENT CXT_ZD_TOKEN
# state SOURCE: its CREDENTIALS column in `sources`
state() { awk -v s="$1" '$1 == s { print $3 }' "$T/out"; }

# the secret set, the client id not: Genesys cannot log in
CXT_GEN_SECRET=s3cr3t-value CXT_ZD_TOKEN=zd-value "$CX" --config "$T/c.json" --db "$T/db" sources > "$T/out" ||
    fail "sources"
[ "$(state gen)" = MISSING ] || fail "genesys without \$client_id_env: $(cat "$T/out")"
[ "$(state zd)" = set ] || fail "zendesk with its token: $(cat "$T/out")"
grep -qxF 'source gen: not set: $CXT_GEN_CLIENT (client_id_env)' "$T/out" || fail "missing client id not named: $(cat "$T/out")"
grep -q 'source zd:' "$T/out" && fail "a source with its credentials named as missing: $(cat "$T/out")"
grep -q 's3cr3t-value\|zd-value' "$T/out" && fail "a secret's value printed"

# the client id set, the secret empty
CXT_GEN_SECRET= CXT_GEN_CLIENT=cx-client "$CX" --config "$T/c.json" --db "$T/db" sources > "$T/out" || fail "sources"
[ "$(state gen)" = MISSING ] || fail "genesys with an empty secret: $(cat "$T/out")"
grep -qxF 'source gen: not set: $CXT_GEN_SECRET (token_env)' "$T/out" || fail "empty secret not named: $(cat "$T/out")"
grep -qxF 'source zd: not set: $CXT_ZD_TOKEN (token_env)' "$T/out" || fail "missing zendesk token not named: $(cat "$T/out")"

# both set: nothing missing
CXT_GEN_SECRET=s CXT_GEN_CLIENT=c CXT_ZD_TOKEN=z "$CX" --config "$T/c.json" --db "$T/db" sources > "$T/out" || fail "sources"
[ "$(state gen)/$(state zd)" = set/set ] || fail "all set: $(cat "$T/out")"
grep -q 'not set' "$T/out" && fail "all set, yet: $(cat "$T/out")"

# status (of an existing store) says the same
printf 'response_id,responded_at,score\nr1,2026-10-01T00:00:00Z,9\n' > "$T/r.csv"
"$CX" --db "$T/db" --quiet import responses "$T/r.csv" || fail "import"
CXT_GEN_SECRET=s CXT_ZD_TOKEN=z "$CX" --config "$T/c.json" --db "$T/db" status > "$T/out" || fail "status"
grep -qxF 'source gen: not set: $CXT_GEN_CLIENT (client_id_env)' "$T/out" || fail "status: $(cat "$T/out")"
grep -q 'source zd:' "$T/out" && fail "status names zendesk: $(cat "$T/out")"
echo "sources and status name each unset credential variable (token_env, Genesys client_id_env)"
