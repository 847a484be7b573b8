"""A real SMTP server for the fault tests, on a free port in a thread: it counts every message it accepts by
recipient, and can be told to do something (kill the worker) when a given message arrives, before it answers.

Only what Django's SMTP backend says is spoken: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. A message counts
as delivered when the server has answered 250 to its data, as with a real server (RFC 5321 §4.1.1.4)."""

import socketserver
import threading
from collections import Counter


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                self.reply("250 OK")
            elif verb in (b"HELO", b"MAIL", b"NOOP"):
                self.reply("250 OK")
            elif verb == b"RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 go on")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                if not self.server.sink.accept(recipients):
                    return  # hang up without accepting: the message is not delivered
                recipients = []
                self.reply("250 OK")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("500 unknown")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """`with SmtpSink() as sink`: `sink.port`, `sink.delivered` (a Counter of recipients), `sink.total`;
    `sink.on_message(n, action)` runs `action()` when the n-th message arrives and leaves that one undelivered."""

    def __init__(self):
        self.delivered = Counter()
        self.total = 0
        self._arrived = 0
        self._trigger = None
        self._lock = threading.Lock()

    def on_message(self, number, action):
        self._trigger = (number, action)

    def accept(self, recipients):
        with self._lock:
            self._arrived += 1
            if self._trigger and self._arrived == self._trigger[0]:
                self._trigger[1]()
                return False
            self.delivered.update(recipients)
            self.total += 1
            return True

    def __enter__(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()  # a quick shutdown()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
