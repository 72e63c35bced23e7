"""pyserve.py -- the plumbing of the small vendor servers that end-to-end
tests write inline, so that such a server holds only its answers.  Started
by start_pyserver (tests/e2e/ingest_lib.inc), which puts tests/e2e on the
server's sys.path:

    from pyserve import serve

    def respond(method, path, query, body):
        return 200, {"data": []}

    serve(respond)
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def serve(respond, methods=("GET",), threaded=False):
    """Serves on 127.0.0.1 until killed; the free port it got is written to
    the file sys.argv[1], whole (a .tmp file renamed).  A request whose
    method is in METHODS (any other gets 501) is answered by
    respond(method, path, query, body): PATH without its query, QUERY as
    parse_qs gives it, BODY the request's bytes (b"" without a
    Content-Length).  It returns (status, body) or (status, body, headers):
    a body that is not bytes is sent as JSON; HEADERS (a dict) follow the
    Server and Date of send_response in their order, then Content-Type
    (application/json unless HEADERS give one) and Content-Length.  Nothing
    is logged.  THREADED: a thread a request (ThreadingHTTPServer), else
    one request at a time."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self):
            u = urlparse(self.path)
            got = respond(self.command, u.path, parse_qs(u.query),
                          self.rfile.read(int(self.headers.get("Content-Length", 0))))
            status, body, headers = got if len(got) == 3 else got + ({},)
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Type" not in headers:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    for m in methods:
        setattr(Handler, "do_" + m, Handler.answer)
    srv = (ThreadingHTTPServer if threaded else HTTPServer)(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    srv.serve_forever()
