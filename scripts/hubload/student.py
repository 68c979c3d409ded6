"""One simulated student: logs in, starts a server, runs cells in a kernel, saves, all over HTTP.

Everything goes through the hub's public port (the proxy), as a browser would: the login form,
the hub's REST API with the student's own token, the single-user server's REST API
(/api/sessions, /api/contents) and the kernel's websocket (/api/kernels/ID/channels).
"""
import asyncio
import json
import time
import urllib.parse
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

OUTPUT_TYPES = ('stream', 'execute_result', 'display_data', 'error')


class StudentError(Exception):
    """A step that failed, with what was asked and what came back."""


class Student:
    def __init__(self, base, name, password):
        self.base = base.rstrip('/')
        self.name = name
        self.password = password
        self.token = ''
        self.http = AsyncHTTPClient()

    async def call(self, method, path, body=None, token=True, ok=(200, 201, 202, 204)):
        headers = {'Content-Type': 'application/json'}
        if token:
            headers['Authorization'] = 'token ' + self.token
        req = HTTPRequest(self.base + path, method=method, headers=headers,
                          body=None if body is None else json.dumps(body),
                          allow_nonstandard_methods=True, request_timeout=300,
                          follow_redirects=False)
        resp = await self.http.fetch(req, raise_error=False)
        if resp.code not in ok:
            text = resp.body.decode('utf-8', 'replace')[:300] if resp.body else resp.reason
            raise StudentError(f'{method} {path}: HTTP {resp.code}: {text}')
        return json.loads(resp.body) if resp.body else None

    async def login(self):
        """The login form (creates the hub user), then a token asked for with the password."""
        form = urllib.parse.urlencode({'username': self.name, 'password': self.password})
        req = HTTPRequest(self.base + '/hub/login', method='POST', body=form,
                          follow_redirects=False, request_timeout=120)
        resp = await self.http.fetch(req, raise_error=False)
        if resp.code != 302:
            raise StudentError(f'POST /hub/login as {self.name}: HTTP {resp.code} (expected a '
                               f'302 redirect after a good password)')
        auth = {'auth': {'username': self.name, 'password': self.password},
                'note': 'hub_load.py', 'expires_in': 7200}
        got = await self.call('POST', f'/hub/api/users/{self.name}/tokens', auth, token=False)
        self.token = got['token']

    async def start_server(self, timeout):
        """Asks the hub for the server and waits until it is ready; returns the seconds taken."""
        t0 = time.monotonic()
        await self.call('POST', f'/hub/api/users/{self.name}/server', ok=(201, 202))
        while time.monotonic() - t0 < timeout:
            model = await self.call('GET', f'/hub/api/users/{self.name}')
            server = (model.get('servers') or {}).get('')
            if server and server.get('ready'):
                return time.monotonic() - t0
            if not server or not server.get('pending'):
                raise StudentError(f'server of {self.name} stopped while starting: {model}')
            await asyncio.sleep(0.25)
        raise StudentError(f'server of {self.name} not ready after {timeout} s')

    def api(self, path):
        return f'/user/{self.name}/api/{path}'

    async def contents(self, path):
        return await self.call('GET', self.api('contents/' + urllib.parse.quote(path))
                               + '?content=1')

    async def save(self, path, nb):
        body = {'type': 'notebook', 'format': 'json', 'content': nb}
        return await self.call('PUT', self.api('contents/' + urllib.parse.quote(path)), body)

    async def open_kernel(self, path, kernel):
        """A session for the notebook at `path` (as the notebook page makes one), connected."""
        session = await self.call('POST', self.api('sessions'), {
            'path': path, 'type': 'notebook', 'name': '', 'kernel': {'name': kernel}})
        return await Kernel.connect(self, session)


class Kernel:
    """The kernel of a session, through the server's websocket."""

    def __init__(self, student, session, ws):
        self.student = student
        self.session = session
        self.ws = ws
        self.client_session = uuid.uuid4().hex

    @classmethod
    async def connect(cls, student, session):
        kid = session['kernel']['id']
        url = student.base.replace('http://', 'ws://', 1) + student.api(f'kernels/{kid}/channels')
        req = HTTPRequest(url, headers={'Authorization': 'token ' + student.token},
                          request_timeout=120)
        ws = await websocket_connect(req)
        return cls(student, session, ws)

    def message(self, msg_type, content, channel='shell'):
        return {'header': {'msg_id': uuid.uuid4().hex, 'msg_type': msg_type,
                           'username': self.student.name, 'session': self.client_session,
                           'date': '', 'version': '5.3'},
                'parent_header': {}, 'metadata': {}, 'content': content, 'channel': channel}

    async def request(self, msg, timeout):
        """Sends `msg`; returns (reply content, iopub outputs) once the reply and idle came."""
        await self.ws.write_message(json.dumps(msg))
        mid = msg['header']['msg_id']
        reply, idle, outputs, shown = None, False, [], {}
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StudentError(f'{msg["header"]["msg_type"]}: no reply in {timeout} s')
            try:
                raw = await asyncio.wait_for(self.ws.read_message(), left)
            except asyncio.TimeoutError:
                got = 'no reply' if reply is None else 'the reply but no idle status'
                raise StudentError(f'{msg["header"]["msg_type"]}: {got} in {timeout} s '
                                   f'(kernel {self.session["kernel"]["id"]})') from None
            if raw is None:
                raise StudentError('the kernel websocket closed')
            m = json.loads(raw)
            if m.get('parent_header', {}).get('msg_id') != mid:
                continue
            kind, content = m['header']['msg_type'], m['content']
            if m.get('channel') == 'shell':
                reply = content
            elif kind == 'status':
                idle = idle or content.get('execution_state') == 'idle'
            else:
                collect(outputs, shown, kind, content)
        return reply, outputs

    async def info(self, timeout, every=10):
        """kernel_info, sent again every `every` s until answered, as jupyter_client's
        wait_for_ready does: a request sent while the server is still connecting its channels to
        the kernel may be lost. Each resend is counted in `self.resends` (the caller reports it)."""
        deadline = time.monotonic() + timeout
        self.resends = 0
        while True:
            left = deadline - time.monotonic()
            try:
                reply, _ = await self.request(self.message('kernel_info_request', {}), min(every, left))
                return reply
            except StudentError:
                if deadline - time.monotonic() <= 0:
                    raise StudentError(f'kernel_info_request: no reply in {timeout} s, sent '
                                       f'{self.resends + 1} times (kernel {self.session["kernel"]["id"]})') from None
                self.resends += 1

    async def execute(self, code, timeout, store_history=True):
        # store_history=False: outputs still come, but the cell takes no execution number
        msg = self.message('execute_request', {
            'code': code, 'silent': False, 'store_history': store_history, 'user_expressions': {},
            'allow_stdin': False, 'stop_on_error': True})
        return await self.request(msg, timeout)

    async def close(self):
        self.ws.close()
        try:
            await self.student.call('DELETE', self.student.api(f'sessions/{self.session["id"]}'))
        except (StudentError, HTTPClientError, OSError) as e:
            raise StudentError(f'closing the session of {self.student.name}: {e}') from e


def collect(outputs, shown, kind, content):
    """Adds an iopub message to the outputs as nbclient would (display updates in place)."""
    display_id = content.get('transient', {}).get('display_id')
    if kind == 'clear_output':
        outputs.clear()
        shown.clear()
        return
    if kind == 'update_display_data' or (display_id and kind == 'display_data'
                                         and display_id in shown):
        for n in shown.get(display_id, []):
            outputs[n]['data'] = content.get('data', {})
        if kind == 'update_display_data':
            return
    if kind not in OUTPUT_TYPES:
        return
    out = {'output_type': kind}
    if kind == 'stream':
        out.update(name=content['name'], text=content['text'])
    elif kind == 'error':
        out.update(ename=content['ename'], evalue=content['evalue'],
                   traceback=content.get('traceback', []))
    else:
        out.update(data=content.get('data', {}), metadata=content.get('metadata', {}))
        if kind == 'execute_result':
            out['execution_count'] = content.get('execution_count')
    if display_id:
        shown.setdefault(display_id, []).append(len(outputs))
    outputs.append(out)
