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
  pages     Delighted pages: --records FILE holds a JSON array of pages,
            served one per request in order, then []

Credential echoes (the credential received, in another form):
  echo-header   401 quoting the Authorization / X-API-TOKEN header verbatim
  echo-upper    401 with the credential upper-cased
  echo-percent  401 with every byte of it percent-encoded (%6b)
  echo-percent2 401 with it percent-encoded twice (%256b), in a URL
  echo-partial  401 with 10 characters from its middle
  echo-b64      401 with base64 of "credential:" inside a longer base64 text
  echo-503      503 (retried) quoting the credential upper-cased
  reflect       Delighted: the credential in a comment, a property name and
                value (folded, percent-encoded) and as a record's id
  reflect-next  SurveyMonkey: links.next carries the credential in its query
  reflect-ct    Qualtrics: the export's continuation token holds it
  reflect-zd    Zendesk: links.next carries it in its query
  reflect-pid   Qualtrics: the export's progressId is the credential, then 503s

Vendors that never move on (no progress):
  samepage      Delighted: 100 rows of one second whatever the page
  oldrows       Delighted: the same 100 rows whatever updated_since
  nextloop      SurveyMonkey: links.next goes to page 2, whose next is page 1
  ignorepage    SurveyMonkey: page=2, 3, ... all serve the rows of page 1
  emptynext     SurveyMonkey: empty pages whose links.next goes on
  reset         SurveyMonkey: rate-limit window spent, reset in a day
  fbskip        Formbricks: the same full page whatever skip says
  gxpage        Genesys Cloud: the same full page whatever pageNumber says
  zdloop        Zendesk: meta.has_more with a links.next back to page 1
  zdsame        Zendesk: every page[after] cursor serves the rows of page 1
Every request's path and query is appended to CANARYLOG.requests.

Usage: hostile_server.py PORTFILE CANARYLOG [--records FILE]
  PORTFILE gets "VENDORPORT CANARYPORT"; every request to the canary is
  appended to CANARYLOG with its headers.
"""
import base64
import json
import sys
import threading
import urllib.parse
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
        if auth.startswith('Basic '):          # Delighted: "key:"; Zendesk: "email/token:key"
            user, _, password = base64.b64decode(auth[6:]).decode('utf-8', 'replace').partition(':')
            return password or user
        if auth.startswith('Bearer '):
            return auth[7:]
        return self.headers.get('X-API-TOKEN') or self.headers.get('x-api-key', '')

    def raw_credential(self):
        for h in ('Authorization', 'X-API-TOKEN', 'x-api-key'):
            if self.headers.get(h):
                return '%s: %s' % (h, self.headers[h])
        return ''


    def error(self, msg):
        self.send(401, json.dumps({'message': msg, 'meta': {'error': {'errorMessage': msg}},
                                   'error': {'message': msg}}).encode())

    def sm_details(self):
        choices = [{'id': str(7000 + i), 'position': i + 1} for i in range(11)]
        self.send(200, json.dumps({'id': '123', 'pages': [{'id': '1', 'questions': [
            {'id': '101', 'family': 'matrix', 'answers': {'choices': choices}}]}]}).encode())

    def sm_page(self, ids, nxt, extra=()):
        data = [{'id': i, 'date_created': '2026-01-01T00:00:%02d' % (n % 60),
                 'date_modified': '2026-01-01T00:00:%02d' % (n % 60),
                 'pages': [{'id': '1', 'questions': [{'id': '101', 'answers': [{'choice_id': '7009'}]}]}]}
                for n, i in enumerate(ids)]
        body = {'data': data, 'per_page': 100, 'page': 1, 'total': len(ids), 'links': {}}
        if nxt:
            body['links']['next'] = nxt
        self.send(200, json.dumps(body).encode(), extra=extra)

    def delighted_rows(self, ids, t0, step):
        return json.dumps([{'id': i, 'score': 9, 'created_at': t0 + step * n, 'updated_at': t0 + step * n}
                           for n, i in enumerate(ids)]).encode()

    def hostile_modes(self, mode, base):
        """The echo, reflect and no-progress modes; False for another mode."""
        cred = self.credential()
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        page = int(q.get('page', ['1'])[0])
        if mode == 'echo-header':
            self.error('Refused: %s' % self.raw_credential())
        elif mode == 'echo-upper':
            self.error('Unknown key %s' % cred.upper())
        elif mode == 'echo-percent':
            self.error('Bad key: %s' % ''.join('%%%02x' % b for b in cred.encode()))
        elif mode == 'echo-percent2':
            self.error('Redirect to /login?next=%s' % ''.join('%%25%02x' % b for b in cred.encode()))
        elif mode == 'echo-503':
            msg = 'Overloaded, retry with key %s' % cred.upper()
            self.send(503, json.dumps({'message': msg, 'meta': {'error': {'errorMessage': msg}},
                                       'error': {'message': msg}}).encode())
        elif mode == 'echo-partial':
            mid = len(cred) // 2
            self.error('Key ...%s... is revoked' % cred[mid - 5:mid + 5])
        elif mode == 'echo-b64':
            self.error('token=%s' % base64.b64encode(('user:' + cred + ':').encode()).decode())
        elif mode == 'reflect':
            served['records'] += 1
            recs = [{'id': 'r1', 'score': 9, 'created_at': 1767225600, 'comment': 'your key is %s, ok?' % cred},
                    {'id': 'r2', 'score': 3, 'created_at': 1767225601,
                     'person_properties': {'Agent': cred.upper(),
                                           'k_' + urllib.parse.quote(cred, safe=''): 'v'}},
                    {'id': cred, 'score': 10, 'created_at': 1767225602},
                    {'id': 'r4', 'score': 7, 'created_at': 1767225603, 'comment': 'plain'}]
            self.send(200, json.dumps(recs).encode() if served['records'] == 1 else b'[]')
        elif mode == 'reflect-next' and '/details' in self.path:
            self.sm_details()
        elif mode == 'reflect-next':
            self.sm_page(['n1'], base + '/v3/surveys/123/responses/bulk?page=2&key=' + cred)
        elif mode == 'reflect-pid' and self.command == 'POST':
            self.send(200, json.dumps({'result': {'progressId': cred}, 'meta': {}}).encode())
        elif mode == 'reflect-pid':
            self.send(503, b'{"meta":{"error":{"errorMessage":"busy"}}}')
        elif mode == 'reflect-zd':
            self.send(200, json.dumps({'satisfaction_ratings': [{'id': 1, 'score': 'good',
                                       'created_at': '2026-01-01T00:00:00Z', 'updated_at': '2026-01-01T00:00:00Z'}],
                                       'meta': {'has_more': True},
                                       'links': {'next': base + '/api/v2/satisfaction_ratings.json?t=' + cred}}).encode())
        elif mode == 'reflect-ct' and self.command == 'POST':
            self.send(200, b'{"result":{"progressId":"ES_1"},"meta":{}}')
        elif mode == 'reflect-ct' and self.path.endswith('/file'):
            self.send(200, json.dumps({'responses': [{'responseId': 'R_1', 'values': {
                'recordedDate': '2026-01-01T00:00:00Z', 'QID1': 9}}]}).encode())
        elif mode == 'reflect-ct':
            self.send(200, json.dumps({'result': {'status': 'complete', 'percentComplete': 100,
                                                  'fileId': 'F_1', 'continuationToken': 'CT.' + cred}}).encode())
        elif mode == 'samepage':
            self.send(200, self.delighted_rows(['s%d' % i for i in range(100)], 1767225600, 0))
        elif mode == 'oldrows':
            self.send(200, self.delighted_rows(['o%d' % i for i in range(100)], 1767225600, 1))
        elif mode in ('nextloop', 'ignorepage', 'emptynext', 'reset') and '/details' in self.path:
            extra = [('X-Ratelimit-App-Global-Minute-Remaining', '0'),
                     ('X-Ratelimit-App-Global-Minute-Reset', '86400')] if mode == 'reset' else ()
            self.send_details_with(extra)
        elif mode == 'nextloop':
            self.sm_page(['a%d' % page] * 1, base + '/v3/surveys/123/responses/bulk?page=%d' % (3 - page))
        elif mode == 'ignorepage':
            self.sm_page(['i1', 'i2'], base + '/v3/surveys/123/responses/bulk?page=%d' % (page + 1))
        elif mode == 'emptynext':
            self.sm_page([], base + '/v3/surveys/123/responses/bulk?page=%d' % (page + 1))
        elif mode == 'reset':
            self.sm_page(['z1'], None)
        elif mode == 'fbskip':
            limit = int(q.get('limit', ['100'])[0])
            self.send(200, json.dumps({'data': [{'id': 'f%d' % i} for i in range(limit)]}).encode())
        elif mode in ('zdloop', 'zdsame'):
            after = int(q.get('page[after]', ['0'])[0])
            nxt = base + '/api/v2/satisfaction_ratings.json?page[size]=100&page[after]=%d' % (
                (after + 1) % 2 if mode == 'zdloop' else after + 1)
            rows = [{'id': 1000 * after + i if mode == 'zdloop' else i, 'score': 'good',
                     'created_at': '2026-01-01T00:00:00Z', 'updated_at': '2026-01-01T00:00:00Z'} for i in range(3)]
            self.send(200, json.dumps({'satisfaction_ratings': rows, 'meta': {'has_more': True},
                                       'links': {'next': nxt}}).encode())
        elif mode == 'gxpage' and self.path.endswith('/oauth/token'):
            self.send(200, b'{"access_token":"gx-access-0123456789","token_type":"bearer","expires_in":86399}')
        elif mode == 'gxpage':
            self.send(200, json.dumps({'totalHits': 1000, 'conversations': [
                {'conversationId': 'c%d' % i, 'conversationStart': '2026-01-01T00:00:00.000Z'}
                for i in range(100)]}).encode())
        else:
            return False
        return True

    def send_details_with(self, extra):
        choices = [{'id': str(7000 + i), 'position': i + 1} for i in range(11)]
        self.send(200, json.dumps({'id': '123', 'pages': [{'id': '1', 'questions': [
            {'id': '101', 'family': 'matrix', 'answers': {'choices': choices}}]}]}).encode(), extra=extra)

    def do_GET(self):
        n = int(self.headers.get('Content-Length') or 0)
        if n:
            self.rfile.read(n)                   # keep the connection in step
        mode = self.path.split('/')[1]
        canary = 'http://127.0.0.1:%d' % self.server.canary_port
        with open(CANARY_LOG + '.requests', 'a') as f:
            f.write('%s %s\n' % (self.command, self.path))
        if self.hostile_modes(mode, 'http://127.0.0.1:%d/%s' % (self.server.server_address[1], mode)):
            return
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
        elif mode == 'pages':
            pages = json.loads(RECORDS)
            k = served.setdefault('pages', 0)
            served['pages'] += 1
            self.send(200, json.dumps(pages[k]).encode() if k < len(pages) else b'[]')
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
