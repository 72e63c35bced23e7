# A hostile or broken cxpulse.json is refused with a clear message naming
# the file and never crashes: nesting 200,000 deep, 5 MiB, endless
# (/dev/zero), a NUL byte, trailing text, a directory; a literal secret in
# any spelling or place is refused without echoing its value; a key that
# would switch TLS verification off is refused; a *_env value that is not
# a variable's name (a token pasted there) is refused unshown; a base_url that is not
# http(s), empty field-map names and unknown keys are refused.
. tests/e2e/lib.inc
SECRET="s3cr3t-$$-value"
n=0
# refused FILE WANT: the config is refused (exit 1) with WANT in the message.
refused() {
    n=$((n + 1))
    "$CX" --config "$1" --db "$T/db" sources > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$1: exit $rc, want 1 ($(head -c 200 "$T/err"))"
    grep -q "cxpulse: config: $1" "$T/err" || fail "$1: message does not name the file: $(head -c 300 "$T/err")"
    grep -q -- "$2" "$T/err" || fail "$1: message lacks '$2': $(head -c 300 "$T/err")"
    grep -q -- "$SECRET" "$T/err" "$T/out" && fail "$1: the secret's value was echoed"
    [ "$(wc -c < "$T/err")" -lt 600 ] || fail "$1: message of $(wc -c < "$T/err") bytes"
}
src() {   # src EXTRA: one source object with EXTRA members
    printf '{"name":"d","vendor":"delighted","base_url":"https://api.example","token_env":"T"%s}' "$1"
}
$PY -c "print('[' * 200000 + ']' * 200000)" > "$T/deep.json"
refused "$T/deep.json" "not valid JSON"
$PY -c "print('{\"sources\":[' + '{\"a\":' * 200000 + '1' + '}' * 200000 + ']}')" > "$T/deep2.json"
refused "$T/deep2.json" "not valid JSON"
$PY -c "print('{\"mot_types\":[' + ','.join(['\"x\"'] * 1200000) + ']}')" > "$T/huge.json"
refused "$T/huge.json" "too large"
refused /dev/zero "too large"
printf '{"store":"a.db"}\0{"sources":[]}' > "$T/nul.json"
refused "$T/nul.json" "NUL"
printf '{"store":"a.db"} {"store":"b.db"}' > "$T/trailing.json"
refused "$T/trailing.json" "not valid JSON"
mkdir "$T/dir.json"
refused "$T/dir.json" "directory"
for key in token Token API_KEY apikey access_token client_secret password Password secret key bearer \
           Authorization delighted_token pg_password my_api_key; do
    printf '{"sources":[%s]}' "$(src ",\"$key\":\"$SECRET\"")" > "$T/s_$key.json"
    refused "$T/s_$key.json" "literal secret"
done
printf '{"password":"%s","store":"postgresql://h/db"}' "$SECRET" > "$T/root_secret.json"
refused "$T/root_secret.json" "literal secret"
for kv in '"insecure":true' '"verify":false' '"ssl_verify":false' '"tls_verify_peer":0' '"VERIFY_HOST":false' \
          '"ssl_no_revoke":true' '"skip_tls_verify":true'; do
    printf '{"sources":[%s]}' "$(src ",$kv")" > "$T/tls.json"
    refused "$T/tls.json" "verification is always on"
done
printf '{"insecure":true}' > "$T/tls_root.json"
refused "$T/tls_root.json" "verification is always on"
for url in 'file:///etc/passwd' 'ftp://h/' 'gopher://h/' 'dict://h:11211/' '/v1' 'https://h/ x'; do
    printf '{"sources":[{"name":"d","vendor":"delighted","base_url":"%s","token_env":"T"}]}' "$url" > "$T/url.json"
    refused "$T/url.json" "base_url"
done
printf '{"sources":[%s]}' "$(src ',"fields":{"":"a.b"}')" > "$T/f1.json"
refused "$T/f1.json" "must not be empty"
printf '{"sources":[%s]}' "$(src ',"fields":{"agent_id":""}')" > "$T/f2.json"
refused "$T/f2.json" "must not be empty"
# a token pasted where a variable's name belongs: refused, never echoed
# (it would reach messages, sources/status and the store's sync state)
for kv in "\"token_env\":\"sk_live-$SECRET.Xq7\"" "\"token_env\":\"9$SECRET\"" \
          "\"token_env\":\"T\",\"client_id_env\":\"$SECRET:x\""; do
    printf '{"sources":[{"name":"d","vendor":"delighted","base_url":"https://api.example",%s}]}' "$kv" > "$T/envname.json"
    refused "$T/envname.json" "must be the name of an environment variable"
done
printf '{"password_env":"p@%s","store":"postgresql://h/db"}' "$SECRET" > "$T/envname_root.json"
refused "$T/envname_root.json" "password_env: must be the name of an environment variable"
# 990-deep nesting parses, and under an unknown key is refused for the key
$PY -c "print('{\"x\":' + '[' * 990 + ']' * 990 + '}')" > "$T/deep_ok.json"
refused "$T/deep_ok.json" "x: unknown key"
# what is allowed still loads: token_env, ca_file
$PY -c "print('{\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\",\"base_url\":\"https://api.example\",\"token_env\":\"T\",\"ca_file\":\"/etc/ssl/certs/ca-certificates.crt\"}]}')" > "$T/ok.json"
"$CX" --config "$T/ok.json" --db "$T/db" sources > /dev/null 2> "$T/err" || fail "a good config was refused: $(cat "$T/err")"
echo "$n hostile configs refused with the file named and no secret echoed; a good one loads"
