"""A small stdlib browser for bench/concurrency.py: cookies, CSRF, forms as a browser submits them.

One Browser is one signed-in session on one server. Several threads may share it (tabs): the
session and CSRF cookies are shared, but the one-shot `messages` cookie is kept per request, so the
message shown after a POST's redirect is the message of that POST and no other tab's.
"""

import http.client
import re
import threading
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

ALERT = re.compile(r'<div class="alert alert-(\w+)" role="\w+">(.*?)</div>', re.S)


class Response:
    def __init__(self, status, headers, body, cookies):
        self.status, self.headers, self.body, self.cookies = status, headers, body, cookies

    @property
    def location(self):
        return urlsplit(self.headers.get("Location", "")).path

    def messages(self):
        """The flash messages on the page, as (level, text)."""
        return [(level, unescape(text).strip()) for level, text in ALERT.findall(self.body)]


class Browser:
    def __init__(self, port, log):
        self.port, self.log = port, log  # log(status) counts every response
        self.cookies, self.lock = {}, threading.Lock()

    def request(self, method, path, data=None, extra_cookies=None):
        with self.lock:
            cookies = dict(self.cookies)
        cookies.update(extra_cookies or {})
        headers = {"Host": f"127.0.0.1:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        body = None
        if data is not None:
            if not any(name == "csrfmiddlewaretoken" for name, _ in data):
                data = [*data, ("csrfmiddlewaretoken", cookies.get("csrftoken", ""))]
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
        finally:
            connection.close()
        received = {}
        for header in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            received.update({name: morsel.value for name, morsel in jar.items()})
        with self.lock:
            self.cookies.update({k: v for k, v in received.items() if k != "messages" and v})
        self.log(raw.status)
        return Response(raw.status, raw.headers, text, received)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        """POST a form; on a redirect, open the next page with this response's messages (as a browser does)."""
        response = self.request("POST", path, data)
        if response.status in (301, 302, 303):
            follow = self.request("GET", response.headers["Location"], extra_cookies=_messages(response))
            follow.redirected_from = response
            return follow
        response.redirected_from = None
        return response

    def sign_in(self, email, password):
        self.get("/accounts/login/")
        response = self.request("POST", "/accounts/login/", [("username", email), ("password", password)])
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {email} failed: {response.status}")


def _messages(response):
    value = response.cookies.get("messages")
    return {"messages": value} if value else {}


class _Forms(HTMLParser):
    """Every <form> on a page as (action, [(name, value), …]) the way a browser would submit it
    untouched, except that a radio group with nothing (or the blank choice) checked gets its first real choice."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.textarea, self.select = [], None, None, None
        self.radios = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form, self.radios = (a.get("action", ""), []), {}
            self.forms.append(self.form)
        elif self.form is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self._option(a)
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                self.radios.setdefault(a["name"], []).append(a.get("value", "on"))
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind == "radio" and not a.get("value"):
                return  # the blank "---------" choice: a person picks a real one
            self.form[1].append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select = [a["name"], None, None]  # name, first option, selected option

    def _option(self, a):
        value = a.get("value", "")
        if self.select[1] is None:
            self.select[1] = value
        if "selected" in a:
            self.select[2] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.form[1].append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, first, chosen = self.select
            self.form[1].append((name, chosen if chosen is not None else first or ""))
            self.select = None
        elif tag == "form" and self.form is not None:
            names = {name for name, _ in self.form[1]}
            for name, values in self.radios.items():
                if name not in names:  # a person picks one: the first real choice
                    self.form[1].append((name, next((v for v in values if v), "")))
            self.form = None


def find_form(html, field):
    """The fields of the first form on the page that has `field`, or None."""
    parser = _Forms()
    parser.feed(html)
    for _, fields in parser.forms:
        if any(name == field for name, _ in fields):
            return fields
    return None


def replace(fields, **values):
    """The form's fields with some values replaced."""
    return [(name, values.get(name, value)) for name, value in fields]
