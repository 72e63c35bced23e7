# TLS verification cannot be turned off: an https vendor with a
# certificate from an unknown CA fails with a certificate error before any
# request (or token) is sent; a certificate for another host name fails
# even with its CA trusted; with the CA named in ca_file the sync works;
# a config that asks for "insecure"/"verify": false is refused.
. tests/e2e/lib.inc
command -v openssl >/dev/null || { echo "skipped: no openssl"; exit 0; }
cd "$T" || fail "cd"
cat > ca.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]
[ext]
basicConstraints = critical,CA:FALSE
subjectAltName = @alt
[alt]
IP.1 = 127.0.0.1
[other]
basicConstraints = critical,CA:FALSE
subjectAltName = DNS:vendor.example
EOF
{
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=cxpulse-test-ca -config ca.cnf \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign &&
    openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 -config ca.cnf &&
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ca.cnf -extensions ext &&
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out other.pem -days 2 -extfile ca.cnf -extensions other
} > openssl.log 2>&1 || fail "making certificates: $(tail -3 openssl.log)"
# serve CERT: an https Delighted endpoint answering [] and logging requests
serve() {
    rm -f port
    $PY - "$1" srv.key port requests.log <<'PYEOF' 2> server.err &
import ssl, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
cert, key, portfile, log = sys.argv[1:5]
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        open(log, 'a').write(self.path + '\n')
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'[]')
    def log_message(self, *a):
        pass
s = ThreadingHTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
open(portfile, 'w').write(str(s.server_address[1]))
s.serve_forever()
PYEOF
    SPID=$!
    for _ in $(seq 1 100); do [ -s port ] && break; sleep 0.05; done
    [ -s port ] || fail "https server did not start: $(cat server.err)"
}
stop() { kill $SPID 2>/dev/null; wait $SPID 2>/dev/null; }
trap 'stop; rm -rf "$T"' EXIT
export CX_TEST_TOKEN="tls-token-$$"
cfg() {   # cfg EXTRA: config with one https source
    printf '{"sources":[{"name":"d","vendor":"delighted","base_url":"https://127.0.0.1:%s","token_env":"CX_TEST_TOKEN","max_attempts":2%s}]}\n' \
        "$(cat port)" "$1" > cfg.json
}
ingest() { "$CX" --config cfg.json --db store.db ingest --deadline 30 > out.log 2> err.log; }

serve srv.pem
cfg ""
ingest; rc=$?
[ $rc -eq 1 ] || fail "unknown CA: exit $rc, want 1: $(cat err.log)"
grep -qi "certificate" err.log || fail "unknown CA: no certificate error: $(cat err.log)"
[ -e requests.log ] && fail "a request was sent before the certificate was verified"
cfg ',"ca_file":"'"$T"'/ca.pem"'
ingest || fail "with ca_file: exit $?: $(cat err.log)"
[ -s requests.log ] || fail "with ca_file: no request reached the server"
stop
rm -f requests.log
serve other.pem
cfg ',"ca_file":"'"$T"'/ca.pem"'
ingest; rc=$?
[ $rc -eq 1 ] || fail "wrong host name: exit $rc, want 1: $(cat err.log)"
grep -qi "certificate\|subject\|name" err.log || fail "wrong host name: unclear error: $(cat err.log)"
[ -e requests.log ] && fail "a request was sent to a server with the wrong name"
for kv in '"insecure":true' '"verify":false' '"ssl_verify_peer":false'; do
    cfg ",$kv"
    "$CX" --config cfg.json --db store.db ingest > out.log 2> err.log; rc=$?
    [ $rc -eq 1 ] || fail "$kv: exit $rc, want 1 (refused)"
    grep -q "verification is always on" err.log || fail "$kv: not refused: $(cat err.log)"
done
grep -rlaF -- "$CX_TEST_TOKEN" "$T" && fail "token written to a file"
echo "https: unknown CA and wrong host name fail before any request; ca_file works; insecure switches refused"
