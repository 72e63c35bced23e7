#!/usr/bin/env python3
"""hostile_server.py -- a vendor API that attacks its client, for
tests/e2e/hostile_vendor*.sh.  Serves on 127.0.0.1 (two ports: the
"vendor" and a "canary" that must never be contacted) and picks its
misbehaviour from the first path segment, which the test puts into the
source's base_url (http://127.0.0.1:PORT/MODE):

  echo      401 whose message repeats the credential it received
  deep      200 with JSON nested 100,000 deep
  huge      200 with a body of 300 MiB (the client's limit is 256 MiB)
  redirect  302 to the canary
  next      SurveyMonkey details, then a page whose links.next is the canary
  records   Delighted page with the records of --records FILE (raw bytes), once

Usage: hostile_server.py PORTFILE CANARYLOG [--records FILE]
  PORTFILE gets "VENDORPORT CANARYPORT"; every request to the canary is
  appended to CANARYLOG with its headers.
"""
import base64
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTFILE, CANARY_LOG = sys.argv[1], sys.argv[2]
RECORDS = open(sys.argv[4], 'rb').read() if len(sys.argv) > 4 else b'[]'
served = {'records': 0}


class Canary(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(CANARY_LOG, 'a') as f:
            f.write('%s %s\n%s\n' % (self.command, self.path, self.headers))
        self.send_response(200)
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'[]')

    do_POST = do_GET

    def log_message(self, *a):
        pass


class Vendor(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def send(self, code, body, ctype='application/json', extra=()):
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def credential(self):
        auth = self.headers.get('Authorization', '')
        if auth.startswith('Basic '):
            return base64.b64decode(auth[6:]).decode('utf-8', 'replace').rstrip(':')
        if auth.startswith('Bearer '):
            return auth[7:]
        return self.headers.get('X-API-TOKEN', '')

    def do_GET(self):
        mode = self.path.split('/')[1]
        canary = 'http://127.0.0.1:%d' % self.server.canary_port
        if mode == 'echo':
            cred = self.credential()
            msg = 'Invalid API key %s (you sent %s)' % (cred, cred)
            self.send(401, json.dumps({'message': msg, 'meta': {'error': {'errorMessage': msg}},
                                       'error': {'message': msg}}).encode())
        elif mode == 'deep':
            self.send(200, b'[' * 100000 + b']' * 100000)
        elif mode == 'huge':
            n = 300 << 20
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(n))
            self.end_headers()
            chunk = b' ' * (1 << 20)
            try:
                for _ in range(n >> 20):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif mode == 'redirect':
            self.send(302, b'{}', extra=[('Location', canary + '/steal')])
        elif mode == 'next' and '/details' in self.path:
            choices = [{'id': str(7000 + i), 'position': i + 1} for i in range(11)]
            self.send(200, json.dumps({'id': '123', 'pages': [{'id': '1', 'questions': [
                {'id': '101', 'family': 'matrix', 'answers': {'choices': choices}}]}]}).encode())
        elif mode == 'next':
            self.send(200, json.dumps({'data': [], 'per_page': 50, 'page': 1, 'total': 1,
                                       'links': {'next': canary + '/v3/surveys/123/responses/bulk?page=2'}}).encode())
        elif mode == 'records':
            served['records'] += 1
            self.send(200, RECORDS if served['records'] == 1 else b'[]')
        else:
            self.send(404, b'{"message":"no such mode"}')

    do_POST = do_GET

    def log_message(self, *a):
        pass


canary = ThreadingHTTPServer(('127.0.0.1', 0), Canary)
vendor = ThreadingHTTPServer(('127.0.0.1', 0), Vendor)
vendor.canary_port = canary.server_address[1]
threading.Thread(target=canary.serve_forever, daemon=True).start()
with open(PORTFILE + '.tmp', 'w') as f:
    f.write('%d %d\n' % (vendor.server_address[1], canary.server_address[1]))
import os
os.rename(PORTFILE + '.tmp', PORTFILE)
vendor.serve_forever()
