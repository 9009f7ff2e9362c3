#!/usr/bin/env python3
"""A sample application behind Squall's hooks (docs/hooks.md), in the Python standard library only.

It logs users in with a session cookie of its own, and Squall asks it, over signed HTTP POSTs:
  /hooks/connect    who is this connection? (identity from the session cookie, passed through by the broker)
  /hooks/refresh    may this identity stay connected? (extends by SESSION_TTL, refuses banned users)
  /hooks/subscribe  may it subscribe? (public:* for everyone, user:<id> for that user only)
  /hooks/publish    may it publish this? (refuses empty messages, strips HTML, adds "by")
  /hooks/rpc        what is the answer to this call? (getProfile from an in-memory table)
  /hooks/webhook    what happened (channels occupied and vacated, connections, subscriptions)
Every hook call's X-Squall-Signature is checked (HMAC-SHA256 of the body under the shared secret) before
anything else; a call without a valid one is answered 401.

Run it with ./run next to this file (it starts the broker too), or alone:
  HOOKS_SECRET=... python3 app.py --port 8000 --broker-ws ws://localhost:8080/ws
"""

import argparse
import hashlib
import hmac
import html
import json
import os
import secrets
import sys
import threading
import time
from collections import OrderedDict
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

SESSION_COOKIE = "squall_session"
SESSION_TTL = 60  # seconds an identity lasts before Squall asks /hooks/refresh to extend it
MAX_BODY = 1 << 20
MAX_EVENT_IDS = 100_000  # event ids remembered for de-duplication (oldest forgotten first)
RPC_SERVICE = "profiles"
HOOK_KINDS = ("connect", "refresh", "subscribe", "publish", "rpc", "webhook")

# The application's "database".
PROFILES = {
    "alice": {"name": "Alice Liddell", "role": "editor"},
    "bob": {"name": "Bob Marley", "role": "reader"},
    "carol": {"name": "Carol Danvers", "role": "reader"},
}


def sign(secret: bytes, body: bytes) -> str:
    """The X-Squall-Signature value for body: what Squall sends, what the app recomputes."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def signature_ok(secret: bytes, body: bytes, header) -> bool:
    if not header:
        return False
    # compare_digest takes constant time whatever the header holds, so its bytes leak nothing
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.encode("utf-8", "replace"))


class _TextOnly(HTMLParser):
    HIDDEN = ("script", "style")  # their content is code, not text: dropped with the tags

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """The text of text's HTML: tags dropped, entities decoded (a client still escapes what it shows)."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def strip_html_everywhere(value):
    if isinstance(value, str):
        return strip_html(value)
    if isinstance(value, list):
        return [strip_html_everywhere(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_html_everywhere(v) for k, v in value.items()}
    return value


def is_empty(data) -> bool:
    if data is None:
        return True
    if isinstance(data, str):
        return not data.strip()
    if isinstance(data, dict):
        return is_empty(data.get("text")) if "text" in data else not data
    if isinstance(data, list):
        return not data
    return False


def refused(name, message=None):
    error = {"name": name}
    if message is not None:
        error["message"] = message
    return {"error": error}


def channel_allowed(identity, channel) -> bool:
    """public:* for everyone; user:<id> only for that user; nothing else."""
    if not isinstance(channel, str):
        return False
    if channel.startswith("public:"):
        return True
    return isinstance(identity, str) and channel == "user:" + identity


class HooksApp:
    """The application's state and every hook's answer; no HTTP in here, so the tests call it directly."""

    def __init__(self, secret: str, session_ttl: int = SESSION_TTL, clock=time.time):
        if len(secret) < 16:
            raise ValueError("the hooks secret must be at least 16 characters (as Squall's hooks.secret)")
        self.secret = secret.encode("utf-8")
        self.session_ttl = session_ttl
        self.clock = clock
        self.lock = threading.Lock()  # the server runs one thread per request
        self.sessions = {}  # session token -> user id
        self.banned = set()
        self.events = []  # webhook events, de-duplicated, in arrival order
        self.event_ids = OrderedDict()
        self.duplicates = 0
        self.channels = {}  # "service channel" -> {"state", "seq", ...}: the latest occupied/vacated by seq
        self.late = 0  # occupied/vacated events that arrived after a later one of their channel

    # --- sessions -------------------------------------------------------------------------------------------

    def login(self, user):
        """A new session token for a known user, else None."""
        if user not in PROFILES:
            return None
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[token] = user
        return token

    def logout(self, token):
        with self.lock:
            self.sessions.pop(token, None)

    def ban(self, user, banned=True):
        with self.lock:
            (self.banned.add if banned else self.banned.discard)(user)

    def user_of(self, cookie_header):
        if not cookie_header:
            return None
        try:
            cookie = SimpleCookie(cookie_header)
        except CookieError:
            return None
        morsel = cookie.get(SESSION_COOKIE)
        if morsel is None:
            return None
        with self.lock:
            return self.sessions.get(morsel.value)

    # --- the hook door ------------------------------------------------------------------------------------

    def handle(self, kind, headers, body: bytes):
        """One hook call: (HTTP status, JSON answer). headers: a mapping with case-insensitive get()."""
        if kind not in HOOK_KINDS:
            return 404, {"message": "no such hook"}
        if not signature_ok(self.secret, body, headers.get("X-Squall-Signature")):
            return 401, {"message": "bad or missing X-Squall-Signature"}
        named = headers.get("X-Squall-Hook")
        if named is not None and named != kind:
            return 400, {"message": "X-Squall-Hook is %r, this is /hooks/%s" % (named, kind)}
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return 400, {"message": "body is not UTF-8 JSON"}
        if not isinstance(request, dict):
            return 400, {"message": "body is not a JSON object"}
        if kind == "connect":
            return 200, self.on_connect(request, headers)
        if kind == "webhook":
            return self.on_webhook(request)
        return 200, getattr(self, "on_" + kind)(request)

    def on_connect(self, request, headers):
        user = self.user_of(headers.get("Cookie"))
        if user is None:
            return refused("Not authenticated", "log in at /login first")
        if user in self.banned:
            return refused("Not authorized", "banned")
        return {"result": {
            "identity": user,
            "expiresAt": int(self.clock()) + self.session_ttl,
            "channels": ["user:" + user],
            "data": {"profile": PROFILES[user]},
        }}

    def on_refresh(self, request):
        identity = request.get("identity")
        if identity not in PROFILES or identity in self.banned:
            return {"disconnect": {"code": 4100, "reason": "Banned"}}
        return {"result": {"expiresAt": int(self.clock()) + self.session_ttl}}

    def on_subscribe(self, request):
        if request.get("service") == "datasync":
            # a DataSync channel is the token the application's backend handed out: already a permission
            return {"result": {}}
        if channel_allowed(request.get("identity"), request.get("channel")):
            return {"result": {}}
        return refused("Not authorized")

    def on_publish(self, request):
        identity = request.get("identity")
        if identity is None:
            return refused("Not authenticated")  # every message says who wrote it
        if not channel_allowed(identity, request.get("channel")):
            return refused("Not authorized")
        data = request.get("data")
        if is_empty(data):
            return refused("Empty message", "say something")
        data = strip_html_everywhere(data)
        if is_empty(data):  # it was only markup
            return refused("Empty message", "say something")
        replacement = dict(data) if isinstance(data, dict) else {"text": data}
        replacement["by"] = identity
        return {"result": {"data": replacement}}

    def on_rpc(self, request):
        if request.get("service") != RPC_SERVICE:
            return refused("Unknown service")
        if request.get("command") != "getProfile":
            return refused("Unknown command")
        params = request.get("params")
        params = params if isinstance(params, dict) else {}
        user = params.get("user", request.get("identity"))
        if user is None:
            return refused("Not authenticated")
        if not isinstance(user, str) or user not in PROFILES:
            return refused("Unknown user", "no profile for %r" % (user,))
        return {"result": {"data": dict(PROFILES[user], id=user)}}

    def on_webhook(self, request):
        events = request.get("events")
        if not isinstance(events, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str)
                                                   for e in events):
            # not acknowledged: Squall retries, and its log shows the answer
            return 400, {"message": "expected {\"events\":[{\"id\":...}, ...]}"}
        stored = 0
        with self.lock:
            for event in events:
                if event["id"] in self.event_ids:
                    self.duplicates += 1  # a retried batch: already stored
                    continue
                self.event_ids[event["id"]] = True
                if len(self.event_ids) > MAX_EVENT_IDS:
                    self.event_ids.popitem(last=False)
                self.events.append(event)
                stored += 1
                self._track_channel(event)
        return 200, {"stored": stored}

    def _track_channel(self, event):
        """Occupied/vacated carry a per-channel seq: the channel's state is that of the highest seq seen."""
        seq = event.get("seq")
        if event.get("type") not in ("occupied", "vacated") or not isinstance(seq, int):
            return
        key = "%s %s" % (event.get("service"), json.dumps(event.get("channel"), sort_keys=True))
        current = self.channels.get(key)
        if current is not None and current["seq"] >= seq:
            self.late += 1  # delivered after a later event of its channel: kept in the log, state unchanged
            return
        self.channels[key] = {"state": event["type"], "seq": seq, "node": event.get("node"), "time": event.get("time")}

    def events_view(self):
        with self.lock:
            by_channel = {}
            for event in self.events:
                if "channel" in event:
                    key = "%s %s" % (event.get("service"), json.dumps(event.get("channel"), sort_keys=True))
                    lists = by_channel.setdefault(key, {"occupancy": [], "subscriptions": []})
                    seq = isinstance(event.get("seq"), int)
                    lists["occupancy" if seq else "subscriptions"].append(event)
            for lists in by_channel.values():
                # occupied/vacated in the channel's own order (seq, cluster-wide); the rest as they came
                lists["occupancy"].sort(key=lambda e: e["seq"])
            return {
                "events": list(self.events),
                "byChannel": by_channel,
                "channels": dict(self.channels),
                "duplicates": self.duplicates,
                "late": self.late,
            }


def broker_flags(app_url: str, public_origins):
    """The broker configuration this application needs (the secret goes through SQUALL_HOOKS_SECRET).

    Key names: docs/hooks-proxies.md and docs/hooks-webhooks.md."""
    hooks = app_url + "/hooks/"
    return [
        "--proxy.connect.url=" + hooks + "connect",
        "--proxy.headers=Cookie",  # the session cookie reaches /hooks/connect (and every other proxy call)
        "--proxy.refresh.url=" + hooks + "refresh",
        "--proxy.subscribe.url=" + hooks + "subscribe",
        "--proxy.publish.url=" + hooks + "publish",
        "--proxy.rpc.url=" + hooks + "rpc",
        "--proxy.rpc.service=" + RPC_SERVICE,
        "--webhooks.url=" + hooks + "webhook",
        "--webhooks.channels=* occupied,vacated,subscribed,unsubscribed",
        "--webhooks.connections=connected,disconnected",
        "--allowed.origins=" + ",".join(public_origins),
    ]


class Handler(BaseHTTPRequestHandler):
    server_version = "SquallHooksApp/1"
    app: HooksApp = None
    broker_ws = "ws://localhost:8080/ws"
    quiet = True

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def _body(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._send(413 if length > MAX_BODY else 400, {"message": "bad Content-Length"})
            return None
        return self.rfile.read(length)

    def _send(self, status, answer, content_type="application/json", headers=()):
        body = answer if isinstance(answer, bytes) else json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _form(self, body):
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/":
            user = self.app.user_of(self.headers.get("Cookie"))
            self._send(200, page(user, self.broker_ws).encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/events":
            self._send(200, self.app.events_view())
        else:
            self._send(404, {"message": "not found"})

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        body = self._body()
        if body is None:
            return
        if path.startswith("/hooks/"):
            status, answer = self.app.handle(path[len("/hooks/"):], self.headers, body)
            self._send(status, answer)
        elif path == "/login":
            user = self._form(body).get("user", "")
            token = self.app.login(user)
            if token is None:
                self._send(403, {"message": "unknown user; try one of " + ", ".join(PROFILES)})
                return
            # the cookie reaches the broker too: cookies are per host, not per port
            cookie = "%s=%s; Path=/; HttpOnly; SameSite=Lax" % (SESSION_COOKIE, token)
            self._send(303, {"user": user}, headers=[("Set-Cookie", cookie), ("Location", "/")])
        elif path == "/logout":
            cookie = SimpleCookie(self.headers.get("Cookie") or "").get(SESSION_COOKIE)
            if cookie is not None:
                self.app.logout(cookie.value)
            expired = "%s=; Path=/; Max-Age=0" % SESSION_COOKIE
            self._send(303, {}, headers=[("Set-Cookie", expired), ("Location", "/")])
        elif path in ("/ban", "/unban"):
            # a demo switch: a banned user's next refresh is refused and the broker disconnects them
            user = self._form(body).get("user", "")
            self.app.ban(user, path == "/ban")
            self._send(303, {"user": user}, headers=[("Location", "/")])
        else:
            self._send(404, {"message": "not found"})


def page(user, broker_ws):
    """The demo page: log in, then talk to the broker from the browser."""
    who = ("Logged in as <b>%s</b>. <form method=post action=/logout style=display:inline><button>Log out</button>"
           "</form> <form method=post action=/ban style=display:inline><input type=hidden name=user value=%s>"
           "<button>Ban me (next refresh disconnects)</button></form>" % (html.escape(user), html.escape(user))
           if user else "Not logged in: the broker will refuse the connection.")
    users = " ".join("<button name=user value=%s>%s</button>" % (u, u) for u in PROFILES)
    return PAGE % {"who": who, "users": users, "ws": json.dumps(broker_ws)}


PAGE = """<!doctype html><meta charset=utf-8><title>Squall hooks sample</title>
<style>body{font:15px system-ui;margin:2em;max-width:60em}pre{background:#f4f4f4;padding:1em;height:22em;overflow:auto}</style>
<h1>Squall hooks sample</h1>
<p>%(who)s</p>
<form method=post action=/login>Log in as: %(users)s</form>
<p><button id=connect>Connect</button>
<button onclick="sub('public:news')">subscribe public:news</button>
<button onclick="sub('user:bob')">subscribe user:bob</button>
<input id=text value="<b>hello</b> world"> <button onclick="pub()">publish on public:news</button>
<button onclick="call('profiles','getProfile',{user:'bob'})">getProfile bob</button>
<a href=/events target=_blank>webhook events</a></p>
<pre id=log></pre>
<script>
let ws, callId = 0;
const log = (s) => { const l = document.getElementById('log'); l.textContent += s + '\\n'; l.scrollTop = 1e9; };
const call = (service, command, params) =>
  ws.send(JSON.stringify({service, message: {command, params, callId: callId++}}));
const sub = (channel) => call('pubsub', 'subscribe', {channel});
const pub = () => call('pubsub', 'publish', {channel: 'public:news', message: document.getElementById('text').value});
document.getElementById('connect').onclick = () => {
  ws = new WebSocket(%(ws)s);
  ws.onopen = () => log('open');
  ws.onmessage = (e) => log('< ' + e.data);
  ws.onclose = (e) => log('closed ' + e.code + ' ' + e.reason);
  const send = ws.send.bind(ws);
  ws.send = (s) => { log('> ' + s); send(s); };
};
</script>
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free one")
    parser.add_argument("--broker-ws", default="ws://localhost:8080/ws", help="the broker's WebSocket URL, for the page")
    parser.add_argument("--session-ttl", type=int, default=SESSION_TTL, help="seconds an identity lasts per refresh")
    parser.add_argument("--broker-flags", action="store_true", help="print the broker flags this app needs and exit")
    parser.add_argument("--print-flags", action="store_true",
                        help="print them at start too, as a JSON array (for tests that start the app on port 0)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.broker_flags:
        app_url = "http://127.0.0.1:%d" % args.port
        # one flag a line: values hold spaces (bash: mapfile -t flags < <(python3 app.py --broker-flags))
        print("\n".join(broker_flags(app_url, ["http://localhost:%d" % args.port, app_url])))
        return 0
    secret = os.environ.get("HOOKS_SECRET", "")
    try:
        app = HooksApp(secret, args.session_ttl)
    except ValueError as e:
        print("HOOKS_SECRET: %s" % e, file=sys.stderr)
        return 2
    Handler.app, Handler.broker_ws, Handler.quiet = app, args.broker_ws, not args.verbose
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    app_url = "http://%s:%d" % (args.host, port)
    print("listening on %s" % app_url, flush=True)
    if args.print_flags:
        print("squall flags: %s" % json.dumps(broker_flags(app_url, ["http://localhost:%d" % port, app_url])), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
