# Delighted shut its API down on 30 June 2026 and answers 410 Gone: that
# source ends with one plain line pointing to the CSV import, the other
# sources still sync, and the exit code is 3.  Then the CSV export
# Delighted gave its customers imports with --format delighted: its
# columns mapped, its timestamps read, a bad score rejected with its line,
# and the rows land under source "delighted" (upserting what the API gave).
. tests/e2e/ingest_lib.inc
start_mock --delighted-gone
write_config "$(source_json delighted)" "$(source_json surveymonkey sm)"
"$CX" --config "$T/cfg.json" --db "$T/store.db" --quiet ingest 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || fail "exit code $rc, want 3 ($(cat "$T/err"))"
grep -qx 'cxpulse: source delighted: the vendor has retired this API (HTTP 410); import its CSV export instead' "$T/err" ||
    fail "no retirement line: $(cat "$T/err")"
[ "$(grep -c . "$T/err")" -eq 1 ] || fail "more than one line: $(cat "$T/err")"
grep -q "$TOKEN" "$T/err" && fail "token in the message"
same_as_vendor sm >"$T/cmp" || fail "the other source: $(cat "$T/cmp")"
# Alone, the retired source is a failure (exit 1); without --quiet too it
# says so in its one line (no "failed after" summary under it)
write_config "$(source_json delighted)"
"$CX" --config "$T/cfg.json" --db "$T/store.db" ingest 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "only the retired source: exit code $rc, want 1"
[ "$(grep -c . "$T/err")" -eq 1 ] || fail "without --quiet, more than one line: $(cat "$T/err")"

cat > "$T/export.csv" <<'CSV'
Response ID,Email,Name,Score,Comment,Response timestamp,Updated timestamp,Permalink,Agent,Channel,Person property: Region
501,a@example.com,Ann,9,"Great, thanks",2026-05-04 13:02:11 -0700,2026-05-05 08:00:00 -0700,https://delighted.com/r/501,A01,phone,north
502,b@example.com,Bob,3,,2026-05-04 14:00:00 UTC,,https://delighted.com/r/502,A02,chat,south
503,c@example.com,Cy,11,out of scale,1746400000,,https://delighted.com/r/503,A02,chat,south
CSV
"$CX" --db "$T/d.db" --quiet import responses "$T/export.csv" --format delighted 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || fail "import: exit code $rc, want 3 (one bad row)"
"$CX" --db "$T/d.db" export rejects > "$T/rej.csv" || fail "export rejects"
grep -q 'export.csv:4' "$T/rej.csv" || fail "reject not at line 4: $(cat "$T/rej.csv")"
"$CX" --db "$T/d.db" export responses > "$T/out.csv" || fail "export"
$PY - "$T/out.csv" <<'PY' || fail "mapped rows"
import csv, sys
rows = {r["response_id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
assert set(rows) == {"501", "502"}, rows.keys()
a, b = rows["501"], rows["502"]
assert a["source"] == "delighted" and b["source"] == "delighted"
assert a["responded_at"] == "2026-05-04T20:02:11Z", a["responded_at"]
assert a["updated_at"] == "2026-05-05T15:00:00Z", a["updated_at"]
assert b["responded_at"] == "2026-05-04T14:00:00Z" and b["updated_at"] == b["responded_at"]
assert a["score"] == "9" and a["comment"] == "Great, thanks" and b["comment"] == ""
assert a["agent_id"] == "A01" and a["channel"] == "phone" and a["region"] == "north"
assert a["email"] == "a@example.com" and a["name"] == "Ann"
PY
printf 'ref,rating,when\n1,9,2026-01-01\n' > "$T/ours.csv"
"$CX" --db "$T/d.db" --quiet import responses "$T/ours.csv" --format delighted 2>"$T/err"
[ $? -eq 1 ] || fail "a file that is not a Delighted export was accepted"
grep -q "not a Delighted export: no 'Response ID' column" "$T/err" || fail "message: $(cat "$T/err")"
# Only the columns of the Delighted map become model fields.  Any other
# column is an attribute even when its name, lower-cased and without
# "Person property: ", is a field's: that one is named attr_<name>, so
# "Person property: Source" neither picks the row's source nor is
# "Person property: Metric" read as the metric (docs/formats.md).
printf 'Response ID,Score,Response timestamp,Person property: Source\n1,9,2026-05-04 13:02:11 UTC,web-widget\n2,3,2026-05-04 14:00:00 UTC,app\n' >"$T/d1.csv"
"$CX" --db "$T/d1.db" --quiet import responses "$T/d1.csv" --format delighted 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "Person property: Source: exit code $rc, want 0 ($(cat "$T/err"))"
printf 'Response ID,Score,Response timestamp,Person property: Metric\n3,9,2026-05-04 13:02:11 UTC,Q2 NPS\n4,9,2026-05-04 13:02:11 UTC,csat\n' >"$T/d2.csv"
"$CX" --db "$T/d2.db" --quiet import responses "$T/d2.csv" --format delighted 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "Person property: Metric: exit code $rc, want 0 ($(cat "$T/err"))"
printf 'Response ID,Score,Response timestamp,Source,customer_id,Person property: Home Region\n5,7,2026-05-04 13:02:11 UTC,web,C9,east\n' >"$T/d3.csv"
"$CX" --db "$T/d3.db" --quiet import responses "$T/d3.csv" --format delighted 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "bare Source and customer_id columns: exit code $rc, want 0 ($(cat "$T/err"))"
$PY - "$T" <<'PY' || fail "colliding columns kept as attributes"
import json, sqlite3, sys
def rows(db):
    c = sqlite3.connect(sys.argv[1] + "/" + db)
    return {r[1]: (r[0], json.loads(r[2]), r[3], r[4])
            for r in c.execute("SELECT source, response_id, attributes, metric, customer_id FROM responses")}
got = rows("d1.db")
assert got == {"1": ("delighted", {"attr_source": "web-widget"}, "nps", ""),
               "2": ("delighted", {"attr_source": "app"}, "nps", "")}, got
got = rows("d2.db")
assert got == {"3": ("delighted", {"attr_metric": "Q2 NPS"}, "nps", ""),
               "4": ("delighted", {"attr_metric": "csat"}, "nps", "")}, got
got = rows("d3.db")
assert got == {"5": ("delighted", {"attr_source": "web", "attr_customer_id": "C9", "home_region": "east"},
                     "nps", "")}, got
PY
echo "410 Gone ends the Delighted source in one line (exit 3 beside a working source); its CSV export imports"
