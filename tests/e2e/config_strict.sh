# A typo in cxpulse.json is an error naming the key, its path and the
# closest known key, never a silent default; wrong types, out-of-range
# values and keys given twice are refused too; a
# relative "store" is found next to the config file, not in the working
# directory.
. tests/e2e/lib.inc
n=0
# refused JSON WANT: the config is refused (exit 1) with exactly WANT after the file name.
refused() {
    n=$((n + 1))
    printf '%s' "$1" > "$T/c.json"
    "$CX" --config "$T/c.json" --db "$T/db" sources > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$1: exit $rc, want 1 ($(cat "$T/err"))"
    want="cxpulse: config: $T/c.json: $2"
    [ "$(cat "$T/err")" = "$want" ] || fail "$1: said '$(cat "$T/err")', want '$want'"
}
src() { printf '{"name":"d","vendor":"delighted","base_url":"https://api.example","token_env":"T"%s}' "$1"; }
qsrc() { printf '{"name":"q","vendor":"qualtrics","base_url":"https://x.example","token_env":"Q","survey_id":"SV_1"%s}' "$1"; }
refused '{"stor": "x.db"}' 'stor: unknown key; did you mean store?'
refused '{"spend_window_day": 30}' 'spend_window_day: unknown key; did you mean spend_window_days?'
refused '{"Store": "x.db"}' 'Store: unknown key; did you mean store?'
refused '{"mot_type": ["outage"]}' 'mot_type: unknown key; did you mean mot_types?'
refused '{"hic_tpo": 0.1}' 'hic_tpo: unknown key; did you mean hic_top?'
refused "{\"sources\":[$(src ''),$(qsrc ',"tokn_env":"X"')]}" 'sources[1].tokn_env: unknown key; did you mean token_env?'
refused "{\"sources\":[$(src ',"feilds":{}')]}" 'sources[0].feilds: unknown key; did you mean fields?'
refused '{"colour": "red"}' 'colour: unknown key (known at the top level: store, password_env, sources, mot_types, moment_scale, clv_years, discount_rate, hic_top, spend_window_days, confidence, labels, currency)'
refused '{"clv_years": "5"}' 'clv_years: must be a number'
refused '{"spend_window_days": 30.5}' 'spend_window_days: must be a whole number'
refused '{"hic_top": 2}' 'hic_top: is out of range (0.0001 to 1)'
refused '{"store": 5}' 'store: must be a string'
refused '{"store": "a.db", "store": "b.db"}' 'store: given twice'
refused "{\"sources\":[$(src ',"per_page":0')]}" 'sources[0].per_page: is out of range (1 to 1000)'
refused "{\"sources\":[{\"name\":\"q\",\"vendor\":\"qualtrics\",\"base_url\":\"https://x.example\",\"token_env\":\"Q\"}]}" \
    'source q: survey_id: is required for vendor qualtrics'
refused "{\"sources\":[$(src ''),7]}" 'sources[1]: must be an object'

# A relative store is resolved against the config file's folder.
"$GEN" --rows 200 --seed 3 --out "$T/d" >/dev/null || fail "gen-sample"
mkdir -p "$T/conf" "$T/elsewhere"
printf '{"store": "data.db"}' > "$T/conf/cxpulse.json"
(cd "$T/elsewhere" && "$CX" --config "$T/conf/cxpulse.json" --quiet import responses "$T/d/responses.csv") ||
    fail "import through a config in another folder"
[ -f "$T/conf/data.db" ] || fail "the store is not next to the config"
[ -e "$T/elsewhere/data.db" ] && fail "the store was created in the working directory"
(cd "$T/elsewhere" && "$CX" --config ../conf/cxpulse.json status) > "$T/status" || fail "status through ../conf"
grep -q "^store:      ../conf/data.db " "$T/status" || fail "status names $(head -1 "$T/status")"
grep -q "^responses:  200 " "$T/status" || fail "status: $(sed -n 2p "$T/status")"
echo "$n bad configs refused with key, path and closest key; a relative store is found beside its config"
