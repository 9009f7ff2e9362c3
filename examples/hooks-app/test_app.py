"""Tests of the sample application: each hook's answers, and the signature check, called directly and over HTTP.

Run: python3 -m unittest -v (from this directory); Maven runs them in the test phase (examples/hooks-app/pom.xml).
"""

import http.client
import json
import threading
import unittest
from email.message import Message

import app as sample

SECRET = "test-hooks-secret-0123456789"


def headers(body: bytes, kind=None, secret=SECRET, **extra):
    """Case-insensitive headers as the HTTP server hands them over, signed like Squall signs."""
    message = Message()
    message["Content-Type"] = "application/json"
    if secret is not None:
        message["X-Squall-Signature"] = sample.sign(secret.encode(), body)
    if kind is not None:
        message["X-Squall-Hook"] = kind
    for name, value in extra.items():
        message[name.replace("_", "-")] = value
    return message


class HookTestCase(unittest.TestCase):
    def setUp(self):
        self.now = 1_800_000_000
        self.app = sample.HooksApp(SECRET, session_ttl=60, clock=lambda: self.now)

    def call(self, kind, request, **extra):
        body = json.dumps(request).encode()
        status, answer = self.app.handle(kind, headers(body, kind, **extra), body)
        self.assertEqual(200, status, answer)
        return answer

    def cookie(self, user):
        return "%s=%s" % (sample.SESSION_COOKIE, self.app.login(user))


class SignatureTest(HookTestCase):
    def test_a_correct_signature_is_accepted(self):
        body = b'{"client":"c1","identity":"alice","service":"pubsub","channel":"public:news","params":{}}'
        status, _ = self.app.handle("subscribe", headers(body, "subscribe"), body)
        self.assertEqual(200, status)

    def test_a_missing_signature_is_401(self):
        body = b'{"client":"c1","identity":"alice"}'
        status, answer = self.app.handle("refresh", headers(body, "refresh", secret=None), body)
        self.assertEqual((401, {"message": "bad or missing X-Squall-Signature"}), (status, answer))

    def test_another_secret_is_401(self):
        body = b'{"client":"c1","identity":"alice"}'
        status, _ = self.app.handle("refresh", headers(body, "refresh", secret="someone-elses-secret-0000"), body)
        self.assertEqual(401, status)

    def test_a_signature_of_other_bytes_is_401(self):
        signed = b'{"client":"c1","identity":"alice"}'
        sent = b'{"client":"c1","identity":"bob"}'
        status, _ = self.app.handle("refresh", headers(signed, "refresh"), sent)
        self.assertEqual(401, status)

    def test_garbage_in_the_header_is_401_not_a_crash(self):
        body = b"{}"
        message = headers(body, "refresh", secret=None)
        message["X-Squall-Signature"] = "sha256=\u00ff\u00fe not hex"
        self.assertEqual(401, self.app.handle("refresh", message, body)[0])

    def test_the_signature_is_checked_before_the_body_is_read(self):
        status, _ = self.app.handle("connect", headers(b"x", "connect", secret=None), b"not json")
        self.assertEqual(401, status)

    def test_a_signed_body_that_is_not_json_is_400(self):
        self.assertEqual(400, self.app.handle("connect", headers(b"not json", "connect"), b"not json")[0])
        self.assertEqual(400, self.app.handle("connect", headers(b"[1]", "connect"), b"[1]")[0])

    def test_a_hook_header_naming_another_hook_is_400(self):
        body = b'{"client":"c1","identity":"alice"}'
        self.assertEqual(400, self.app.handle("refresh", headers(body, "publish"), body)[0])

    def test_an_unknown_hook_is_404(self):
        self.assertEqual(404, self.app.handle("nope", headers(b"{}"), b"{}")[0])

    def test_sign_matches_squalls_format(self):
        # the same vector as HookSignatureTest on the Java side: HMAC-SHA256("key...", "body") in lower-case hex
        self.assertRegex(sample.sign(b"k" * 16, b"{}"), r"^sha256=[0-9a-f]{64}$")


class ConnectTest(HookTestCase):
    def test_the_session_cookie_gives_the_identity_channels_and_data(self):
        answer = self.call("connect", {"client": "c1", "transport": "websocket", "remote": "127.0.0.1",
                                       "origin": None}, Cookie="theme=dark; " + self.cookie("alice"))
        self.assertEqual({"result": {"identity": "alice", "expiresAt": self.now + 60, "channels": ["user:alice"],
                                     "data": {"profile": sample.PROFILES["alice"]}}}, answer)

    def test_no_cookie_is_refused(self):
        answer = self.call("connect", {"client": "c1", "transport": "websocket"})
        self.assertEqual("Not authenticated", answer["error"]["name"])

    def test_a_cookie_the_app_did_not_issue_is_refused(self):
        answer = self.call("connect", {"client": "c1"}, Cookie=sample.SESSION_COOKIE + "=forged")
        self.assertEqual("Not authenticated", answer["error"]["name"])

    def test_a_logged_out_session_is_refused(self):
        cookie = self.cookie("bob")
        self.app.logout(cookie.split("=", 1)[1])
        self.assertIn("error", self.call("connect", {"client": "c1"}, Cookie=cookie))

    def test_a_banned_user_is_refused(self):
        cookie = self.cookie("bob")
        self.app.ban("bob")
        self.assertEqual({"error": {"name": "Not authorized", "message": "banned"}},
                         self.call("connect", {"client": "c1"}, Cookie=cookie))

    def test_unknown_users_cannot_log_in(self):
        self.assertIsNone(self.app.login("mallory"))


class RefreshTest(HookTestCase):
    def test_extends_by_the_session_ttl_from_now(self):
        self.now += 55
        self.assertEqual({"result": {"expiresAt": self.now + 60}},
                         self.call("refresh", {"client": "c1", "identity": "alice"}))

    def test_a_banned_user_is_disconnected(self):
        self.app.ban("alice")
        self.assertEqual({"disconnect": {"code": 4100, "reason": "Banned"}},
                         self.call("refresh", {"client": "c1", "identity": "alice"}))

    def test_unbanned_again_is_extended(self):
        self.app.ban("alice")
        self.app.ban("alice", banned=False)
        self.assertIn("result", self.call("refresh", {"client": "c1", "identity": "alice"}))


class SubscribeTest(HookTestCase):
    def subscribe(self, identity, channel, service="pubsub"):
        return self.call("subscribe", {"client": "c1", "identity": identity, "service": service, "channel": channel,
                                       "params": {"channel": channel}})

    def test_public_channels_are_allowed_to_everyone(self):
        self.assertEqual({"result": {}}, self.subscribe("alice", "public:news"))
        self.assertEqual({"result": {}}, self.subscribe(None, "public:news"))

    def test_own_user_channel_is_allowed(self):
        self.assertEqual({"result": {}}, self.subscribe("alice", "user:alice"))

    def test_another_users_channel_is_refused(self):
        self.assertEqual({"error": {"name": "Not authorized"}}, self.subscribe("alice", "user:bob"))
        self.assertEqual({"error": {"name": "Not authorized"}}, self.subscribe(None, "user:None"))

    def test_other_channels_are_refused(self):
        for channel in ("private", "userx:alice", "user:alice:extra", {"user": "alice"}, 7, None):
            self.assertEqual({"error": {"name": "Not authorized"}}, self.subscribe("alice", channel), channel)

    def test_chat_and_cursors_follow_the_same_rule(self):
        self.assertEqual({"result": {}}, self.subscribe("bob", "public:lobby", "chat"))
        self.assertIn("error", self.subscribe("bob", "user:alice", "chat"))
        self.assertEqual({"result": {}}, self.subscribe("bob", "user:bob", "cursors"))

    def test_a_datasync_token_is_its_own_permission(self):
        self.assertEqual({"result": {}}, self.subscribe("bob", "0123456789abcdefghijklmnopqrstuv", "datasync"))


class PublishTest(HookTestCase):
    def publish(self, data, channel="public:news", identity="alice"):
        return self.call("publish", {"client": "c1", "identity": identity, "service": "pubsub", "channel": channel,
                                     "data": data})

    def test_text_is_stripped_of_html_and_signed(self):
        self.assertEqual({"result": {"data": {"text": "hello world & co", "by": "alice"}}},
                         self.publish("<b>hello</b> <script>x</script>world &amp; co"))

    def test_objects_keep_their_fields_stripped_and_get_by(self):
        self.assertEqual({"result": {"data": {"text": "hi", "tags": ["a"], "n": 3, "by": "bob"}}},
                         self.publish({"text": "<i>hi</i>", "tags": ["<u>a</u>"], "n": 3}, identity="bob"))

    def test_by_cannot_be_forged(self):
        self.assertEqual("alice", self.publish({"text": "hi", "by": "bob"})["result"]["data"]["by"])

    def test_numbers_are_wrapped(self):
        self.assertEqual({"result": {"data": {"text": 42, "by": "alice"}}}, self.publish(42))

    def test_empty_messages_are_refused(self):
        for data in ("", "   ", None, {}, [], {"text": " "}, "<b></b>"):
            self.assertEqual("Empty message", self.publish(data)["error"]["name"], data)

    def test_anonymous_connections_may_not_publish(self):
        self.assertEqual({"error": {"name": "Not authenticated"}}, self.publish("hi", identity=None))

    def test_channels_the_identity_may_not_use_are_refused(self):
        self.assertEqual({"error": {"name": "Not authorized"}}, self.publish("hi", channel="user:bob"))
        self.assertIn("result", self.publish("hi", channel="user:alice"))


class RpcTest(HookTestCase):
    def rpc(self, params, command="getProfile", identity="alice", service="profiles"):
        return self.call("rpc", {"client": "c1", "identity": identity, "service": service, "command": command,
                                 "params": params})

    def test_get_profile_of_another_user(self):
        self.assertEqual({"result": {"data": {"id": "bob", "name": "Bob Marley", "role": "reader"}}},
                         self.rpc({"user": "bob"}))

    def test_get_own_profile_without_params(self):
        self.assertEqual("alice", self.rpc({})["result"]["data"]["id"])
        self.assertEqual("alice", self.rpc(None)["result"]["data"]["id"])

    def test_refusals(self):
        self.assertEqual("Unknown user", self.rpc({"user": "mallory"})["error"]["name"])
        self.assertEqual("Unknown user", self.rpc({"user": ["alice"]})["error"]["name"])
        self.assertEqual("Not authenticated", self.rpc({}, identity=None)["error"]["name"])
        self.assertEqual({"error": {"name": "Unknown command"}}, self.rpc({}, command="dropTables"))
        self.assertEqual({"error": {"name": "Unknown service"}}, self.rpc({}, service="billing"))


def event(id, type, **fields):
    return dict({"id": id, "type": type, "time": 1_800_000_000_000, "node": "n1"}, **fields)


class WebhookTest(HookTestCase):
    def deliver(self, *events):
        body = json.dumps({"events": list(events)}).encode()
        return self.app.handle("webhook", headers(body, "webhook"), body)

    def test_events_are_stored_in_order(self):
        connected = event("n1-1", "connected", client="c1", identity="alice")
        occupied = event("n1-2", "occupied", service="pubsub", channel="public:news", seq=1)
        self.assertEqual((200, {"stored": 2}), self.deliver(connected, occupied))
        view = self.app.events_view()
        self.assertEqual([connected, occupied], view["events"])
        self.assertEqual("occupied", view["channels"]['pubsub "public:news"']["state"])

    def test_a_retried_batch_is_not_stored_twice(self):
        batch = [event("n1-1", "occupied", service="pubsub", channel="a", seq=1),
                 event("n1-2", "vacated", service="pubsub", channel="a", seq=2)]
        self.deliver(*batch)
        self.assertEqual((200, {"stored": 0}), self.deliver(*batch))
        view = self.app.events_view()
        self.assertEqual(2, len(view["events"]))
        self.assertEqual(2, view["duplicates"])

    def test_a_late_event_does_not_turn_a_channel_back(self):
        self.deliver(event("n2-7", "vacated", service="chat", channel="room", seq=4))
        self.deliver(event("n1-9", "occupied", service="chat", channel="room", seq=3))
        view = self.app.events_view()
        self.assertEqual({"state": "vacated", "seq": 4}, {k: view["channels"]['chat "room"'][k]
                                                          for k in ("state", "seq")})
        self.assertEqual(1, view["late"])
        self.assertEqual([3, 4], [e["seq"] for e in view["byChannel"]['chat "room"']["occupancy"]])

    def test_subscriptions_keep_their_arrival_order_next_to_occupancy(self):
        self.deliver(event("s1", "subscribed", service="pubsub", channel="a", client="c2", identity="bob"),
                     event("o1", "occupied", service="pubsub", channel="a", seq=9),
                     event("s0", "unsubscribed", service="pubsub", channel="a", client="c1", identity="alice"))
        lists = self.app.events_view()["byChannel"]['pubsub "a"']
        self.assertEqual(["s1", "s0"], [e["id"] for e in lists["subscriptions"]])
        self.assertEqual(["o1"], [e["id"] for e in lists["occupancy"]])

    def test_channels_are_told_apart_by_service_and_json_value(self):
        self.deliver(event("a", "occupied", service="pubsub", channel={"x": 1, "y": 2}, seq=1),
                     event("b", "occupied", service="chat", channel={"y": 2, "x": 1}, seq=1))
        self.assertEqual(2, len(self.app.events_view()["channels"]))

    def test_a_malformed_batch_is_not_acknowledged(self):
        for batch in ({}, {"events": "x"}, {"events": [{"type": "connected"}]}, {"events": [1]}):
            body = json.dumps(batch).encode()
            self.assertEqual(400, self.app.handle("webhook", headers(body, "webhook"), body)[0], batch)
        self.assertEqual([], self.app.events_view()["events"])


class OverHttpTest(unittest.TestCase):
    """The real HTTP server on a free port: the handler's plumbing (raw body bytes, headers, cookies)."""

    @classmethod
    def setUpClass(cls):
        sample.Handler.app = sample.HooksApp(SECRET)
        cls.server = sample.ThreadingHTTPServer(("127.0.0.1", 0), sample.Handler)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def request(self, method, path, body=b"", hdrs=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.server_address[1], timeout=10)
        try:
            conn.request(method, path, body=body, headers=hdrs or {})
            response = conn.getresponse()
            return response.status, response.getheader("Set-Cookie"), response.read()
        finally:
            conn.close()

    def test_login_cookie_then_signed_connect(self):
        status, cookie, _ = self.request("POST", "/login", b"user=carol",
                                         {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(303, status)
        body = b'{"client":"c9","transport":"websocket","remote":"127.0.0.1","origin":null}'
        signed = {"X-Squall-Signature": sample.sign(SECRET.encode(), body), "X-Squall-Hook": "connect",
                  "Content-Type": "application/json", "Cookie": cookie.split(";")[0]}
        status, _, answer = self.request("POST", "/hooks/connect", body, signed)
        self.assertEqual(200, status)
        self.assertEqual("carol", json.loads(answer)["result"]["identity"])

    def test_unsigned_call_is_401(self):
        status, _, _ = self.request("POST", "/hooks/subscribe", b"{}", {"Content-Type": "application/json"})
        self.assertEqual(401, status)

    def test_the_signature_covers_the_exact_bytes(self):
        body = '{"client":"c1","identity":"alice", "service":"pubsub","channel":"public:\u00e9","params":{}}'.encode()
        reformatted = json.dumps(json.loads(body)).encode()  # same JSON, other bytes
        signed = {"X-Squall-Signature": sample.sign(SECRET.encode(), body)}
        self.assertEqual(200, self.request("POST", "/hooks/subscribe", body, signed)[0])
        self.assertEqual(401, self.request("POST", "/hooks/subscribe", reformatted, signed)[0])

    def test_unknown_login_is_refused(self):
        self.assertEqual(403, self.request("POST", "/login", b"user=mallory")[0])

    def test_events_page_and_home_page(self):
        body = json.dumps({"events": [event("http-1", "connected", client="c1", identity="bob")]}).encode()
        signed = {"X-Squall-Signature": sample.sign(SECRET.encode(), body), "X-Squall-Hook": "webhook"}
        self.assertEqual(200, self.request("POST", "/hooks/webhook", body, signed)[0])
        status, _, events = self.request("GET", "/events")
        self.assertEqual(200, status)
        self.assertIn("http-1", [e["id"] for e in json.loads(events)["events"]])
        status, _, home = self.request("GET", "/")
        self.assertEqual(200, status)
        self.assertIn(b"Squall hooks sample", home)

    def test_an_oversized_body_is_413(self):
        self.assertEqual(413, self.request("POST", "/hooks/webhook", b"", {"Content-Length": str(2 << 20)})[0])


class FlagsTest(unittest.TestCase):
    def test_broker_flags_name_every_hook(self):
        flags = sample.broker_flags("http://127.0.0.1:8000", ["http://localhost:8000"])
        joined = " ".join(flags)
        for kind in sample.HOOK_KINDS:
            self.assertIn("/hooks/" + kind, joined)
        self.assertNotIn("secret", joined)  # the secret goes through the environment, not the command line

    def test_a_short_secret_is_refused(self):
        with self.assertRaises(ValueError):
            sample.HooksApp("short")


if __name__ == "__main__":
    unittest.main()
