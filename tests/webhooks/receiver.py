"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it checks every request's Standard Webhooks
signature with the endpoint's secret, as a receiver's own code would, and answers the statuses it is given."""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    webhook_id: str
    timestamp: str
    signature: str
    body: str
    status: int
    verified: bool

    @property
    def payload(self):
        return json.loads(self.body)


def verify(secret, webhook_id, timestamp, body, signature_header, tolerance=300):
    """Standard Webhooks verification: any of the space-separated v1 signatures matches, timestamp within 5 min."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest())
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and any(
        hmac.compare_digest(sig.removeprefix("v1,").encode(), expected)
        for sig in signature_header.split()
        if sig.startswith("v1,")
    )


@dataclass
class Receiver:
    secret: str = ""
    statuses: list = field(default_factory=list)  # answered in turn; 200 once used up
    received: list = field(default_factory=list)

    def url(self, path="/hooks"):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def delivered(self):
        """The requests answered 2xx."""
        return [r for r in self.received if 200 <= r.status < 300]


def start():
    receiver = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 -- http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            h = self.headers
            receiver.received.append(
                Received(
                    webhook_id=h["webhook-id"],
                    timestamp=h["webhook-timestamp"],
                    signature=h["webhook-signature"],
                    body=body,
                    status=status,
                    verified=verify(
                        receiver.secret, h["webhook-id"], h["webhook-timestamp"], body, h["webhook-signature"]
                    ),
                )
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # Polled every 10 ms, not 0.5 s: shutdown() waits for the next poll (half a second per test otherwise).
    threading.Thread(target=receiver.server.serve_forever, args=(0.01,), daemon=True).start()
    return receiver
