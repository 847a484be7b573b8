"""Security headers on every page kind, and the production values of the cookie and transport settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_access_matrix import MATRIX

CSP_EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
}


def _page_kinds():
    """One request per matrix row, by the first role that is let in: every page kind, HTML or not."""
    for name, url, statuses, *method in MATRIX:
        role = next(r for r, status in statuses.items() if status in (200, 302) and r != "anonymous")
        if statuses["anonymous"] in (200,):
            role = "anonymous"
        yield pytest.param(url, role, method[0] if method else "get", id=name)


def _csp(header):
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize(("url", "role", "method"), list(_page_kinds()))
def test_every_page_kind_sends_the_security_headers(client_for, cast, url, role, method):
    response = getattr(client_for(role), method)(url(cast), secure=True)
    assert response.status_code < 500
    policy = _csp(response["Content-Security-Policy"])
    for directive, value in CSP_EXPECTED.items():
        assert policy[directive] == value, directive
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Personal data, exports included: no copy kept by a browser or a proxy.
    assert "no-store" in response["Cache-Control"]


def test_error_pages_send_the_headers_too(client_for, cast):
    response = client_for("other").get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"


def test_production_settings_lock_down_cookies_and_transport():
    """The settings as a production process reads them: DEBUG off and nothing but the required variables."""
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "alliance.example.com",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        " 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
        " 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'SESSION_COOKIE_AGE',"
        " 'AXES_FAILURE_LIMIT']}))"
    )
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", script]
    output = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, check=True)  # noqa: S603
    values = json.loads(output.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "AXES_FAILURE_LIMIT": 5,
    }


def test_the_session_cookie_is_secure_and_http_only_when_set(client, cast, settings):
    from tests.factories import PASSWORD

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get("/accounts/login/", secure=True)
    response = client.post("/accounts/login/", {"username": "report@test.example", "password": PASSWORD}, secure=True)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_static_files_keep_their_cache(client):
    response = client.get("/static/css/base.css", secure=True)
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("host", ["10.0.0.7", "10.0.0.7:8000", "app-server-3.internal"])
def test_the_load_balancer_probe_answers_over_plain_http_by_address(client, db, settings, host):
    """A balancer probes each app server by its address, without TLS: no redirect, no 400 for the host."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["alliance.example.com"]
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    # Every other path still gets the redirect and the host check.
    assert client.get("/accounts/login/", HTTP_HOST="alliance.example.com").status_code == 301
    assert client.get("/accounts/login/", HTTP_HOST=host).status_code == 400


@pytest.mark.parametrize("name", ["SIGNIN_LOG_DAYS", "WEBHOOKS_LOG_DAYS"])
def test_a_log_kept_for_no_day_is_refused_at_start(name):
    """The worker deletes log rows older than their retention: 0 or less would empty the log, so the settings refuse
    it with a message naming the variable, and a positive value is read as given (with the REST API's settings)."""
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": os.environ["PATH"], "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    script = f"import django; django.setup(); from django.conf import settings as s; print(s.{name}, s.API_RATES)"
    command = [sys.executable, "-c", script]
    refused = subprocess.run(command, env=env | {name: "0"}, cwd=root, capture_output=True, text=True)  # noqa: S603
    assert refused.returncode != 0 and f"{name} is 0: a log is kept for at least 1 day." in refused.stderr
    kept = subprocess.run(command, env=env | {name: "7"}, cwd=root, capture_output=True, text=True)  # noqa: S603
    assert kept.stdout.split(" ", 1) == ["7", "{'read': '600/minute', 'write': '60/minute'}\n"]
