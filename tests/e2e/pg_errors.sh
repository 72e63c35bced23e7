# PostgreSQL connection failures: a bad URI, no server, a refused TCP
# connection, a wrong or missing password, a password written in the
# connection string or the config: each one line "cxpulse: store: …" on
# stderr, exit 1, and the password nowhere in the output.  The right
# password works from PGPASSWORD, ~/.pgpass and (once the config reads it)
# password_env.
. tests/e2e/lib.inc
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
PGBIN=$("$PGTMP" bindir) || { echo "skipped: no PostgreSQL server (apt-get install postgresql)"; exit 0; }
trap '"$PGTMP" stop "$T/pg"; rm -rf "$T"' EXIT
eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
PG=$CXPULSE_PG_URI
if "$CX" --db "$PG" status 2>&1 | grep -q "without PostgreSQL support"; then
    echo "skipped: ./cxpulse was built without libpq (the Makefile's PKGS needs libpq)"; exit 0
fi
SOCK=$(printf '%s' "$PG" | sed 's|.*host=\([^&]*\).*|\1|')
RIGHT="right-$$-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
WRONG="wrong-$$-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
# pg-tmp asks role cxpulse_pw for its password (scram-sha-256)
"$PGBIN/psql" "$PG" -qX -c "CREATE ROLE cxpulse_pw LOGIN PASSWORD '$RIGHT'" -c "CREATE DATABASE cxpw OWNER cxpulse_pw" \
    >/dev/null 2>&1 || fail "create role"
PW_URI="postgresql:///cxpw?host=$SOCK&user=cxpulse_pw"
export HOME="$T/home"
mkdir -p "$HOME"
unset PGPASSWORD PGPASSFILE

# one_error NAME CMD...: exit 1, one line on stderr, "cxpulse: store: ", no secret.
one_error() {
    name=$1; shift
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$name: exit $rc, want 1: $(cat "$T/err")"
    [ "$(wc -l < "$T/err")" -eq 1 ] || fail "$name: not one line: $(cat "$T/err")"
    grep -q '^cxpulse: store: ' "$T/err" || fail "$name: $(cat "$T/err")"
    if grep -q -e "$RIGHT" -e "$WRONG" -e s3cr3t "$T/out" "$T/err"; then fail "$name: password shown"; fi
    [ ! -s "$T/out" ] || fail "$name: wrote to stdout: $(cat "$T/out")"
    shown="$shown
  $name: $(cat "$T/err")"
}
shown=""
one_error "bad URI" "$CX" --db "postgresql://[::1/cxpulse" status
one_error "bad percent-encoding" "$CX" --db "postgresql://u:s3cr3t%zz@localhost/db" status
one_error "bad key=value" "$CX" --db "host=$SOCK dbname=cxpw s3cr3t" status
one_error "no server" "$CX" --db "postgresql:///cxpulse?host=$T/nosock" status
one_error "refused" "$CX" --db "postgresql://127.0.0.1:1/cxpulse?connect_timeout=5" status
one_error "no password" "$CX" --db "$PW_URI" status
PGPASSWORD=$WRONG one_error "wrong password" "$CX" --db "$PW_URI" status
one_error "password in URI" "$CX" --db "postgresql://cxpulse_pw:$RIGHT@/cxpw?host=$SOCK" status
one_error "password in key=value" "$CX" --db "host=$SOCK dbname=cxpw user=cxpulse_pw password=$RIGHT" status
printf '{"store": "postgresql://cxpulse_pw:%s@/cxpw?host=%s"}\n' "$RIGHT" "$SOCK" > "$T/lit.json"
"$CX" --config "$T/lit.json" status > "$T/out" 2> "$T/err"
[ $? -eq 1 ] || fail "a literal password in the config was accepted"
if grep -q "$RIGHT" "$T/out" "$T/err"; then fail "config password shown: $(cat "$T/err")"; fi
grep -q "Connection refused" <<EOF || fail "refused: $shown"
$shown
EOF
grep -q "password authentication failed" <<EOF || fail "wrong password: $shown"
$shown
EOF

# the right password: PGPASSWORD, then ~/.pgpass
PGPASSWORD=$RIGHT "$CX" --db "$PW_URI" status > "$T/out" 2> "$T/err" || fail "PGPASSWORD: $(cat "$T/err")"
grep -q "postgresql" "$T/out" || fail "status: $(cat "$T/out")"
printf '*:*:*:cxpulse_pw:%s\n' "$RIGHT" > "$HOME/.pgpass"
chmod 600 "$HOME/.pgpass"
"$CX" --db "$PW_URI" status > "$T/out" 2> "$T/err" || fail "~/.pgpass: $(cat "$T/err")"
rm -f "$HOME/.pgpass"
note="password_env not tested (core/config.c does not read it yet)"
if grep -q password_env "$CXPULSE_ROOT/core/config.c" 2>/dev/null; then
    printf '{"store": "%s", "password_env": "CX_TEST_PG_PW"}\n' "$PW_URI" > "$T/env.json"
    CX_TEST_PG_PW=$RIGHT "$CX" --config "$T/env.json" status > "$T/out" 2> "$T/err" ||
        fail "password_env: $(cat "$T/err")"
    if grep -q "$RIGHT" "$T/out" "$T/err"; then fail "password_env: password shown"; fi
    (unset CX_TEST_PG_PW; one_error "password_env unset" "$CX" --config "$T/env.json" status) || exit 1
    note="password_env works"
fi
echo "9 connection failures give one 'cxpulse: store:' line, exit 1, no password; PGPASSWORD and ~/.pgpass work; $note"
