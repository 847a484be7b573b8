"""Form bodies in every charset and with bytes that are not UTF-8, posted to every URL of the project with a
valid CSRF token, by the role each URL is for (issue 22: a POST declared as latin-1 answered 500 on the sign-in,
reset, search and insight forms). Every one answers 400 with the page saying why, and writes nothing."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.security import world as w
from tests.security.test_methods import clients, snapshot

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = b'--zz\r\nContent-Disposition: form-data; name="q"\r\n\r\n\xe9\r\n--zz--\r\n'
BODIES = [
    (f"{URLENCODED}; charset=latin-1", b"username=a\xe9&email=r%E9@test.example&q=caf%E9"),
    (f"{URLENCODED}; charset=ISO-8859-1", b"username=a&body=x"),
    (f"{URLENCODED}; charset=utf-16", "username=a&body=x".encode("utf-16")),
    (f"{URLENCODED}; charset=cp037", b"username=a&body=x"),
    (f"{URLENCODED}; charset=no-such-charset", b"username=a&body=x"),
    (URLENCODED, b"username=\xff\xfe&body=\xc3\x28"),  # raw bytes that are not UTF-8
    (f"{URLENCODED}; charset=utf-8", b"username=%FF%FE&body=%C3%28"),  # percent-encoded ones
    (f"{URLENCODED}; charset=utf8", b"username=a&body=x"),  # not Django's spelling: it refuses it
    ("multipart/form-data; boundary=zz; charset=latin-1", MULTIPART),
]  # fmt: skip


def with_token(content_type, body, token):
    if content_type.startswith("multipart"):
        field = f'--zz\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode()
        return field + body
    return body + f"&csrfmiddlewaretoken={token}".encode("utf-16" if "utf-16" in content_type else "ascii")


@pytest.fixture
def everything(cast, client):
    world = w.build(cast, client)
    return world, w.urls(world)


def test_every_url_answers_400_to_a_body_that_is_not_utf8(everything):
    world, urls = everything
    signed_in = clients(world.cast, enforce_csrf_checks=True, raise_request_exception=False)
    before = snapshot()
    problems, requests = [], 0
    for label, path, role in urls:
        if label == "healthz":
            continue  # the probe answers first, to GET and HEAD only (a POST is 405)
        client: Client = signed_in[role]
        token = _get_new_csrf_string()
        client.cookies["csrftoken"] = token
        for content_type, body in BODIES:
            response = client.generic("POST", path, with_token(content_type, body, token), content_type=content_type)
            requests += 1
            if response.status_code != 400 or "The form could not be read" not in response.text:
                problems.append(f"POST {path} ({label}, as {role}) as {content_type}: {response.status_code}")
    assert snapshot() == before
    assert not problems, "\n".join(problems[:40])
    assert requests > 1500


@pytest.mark.parametrize("content_type", [URLENCODED, f"{URLENCODED}; charset=UTF-8"])
def test_a_utf8_form_still_goes_through(cast, content_type):
    client = Client(enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    body = f"username=report%40test.example&password=wrong&csrfmiddlewaretoken={token}".encode()
    response = client.generic("POST", "/accounts/login/", body, content_type=content_type)
    assert response.status_code == 200 and "Please enter a correct" in response.text
