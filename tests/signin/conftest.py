"""A real OpenID provider (oidc-provider-mock, in a thread) and the settings that point Alliance at it."""

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from tests.browser.test_accessibility import axe_page  # noqa: F401  # the axe audit's browser, for test_browser.py

SSO_NAME = "Acme Okta"


@pytest.fixture(scope="session")
def oidc_provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def sso_settings(settings, issuer, **extra):
    settings.SSO_ENABLED = True
    settings.SSO_NAME = SSO_NAME
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "SCOPE": ["openid", "email", "profile"],
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": SSO_NAME,
                    "client_id": "alliance-tests",
                    "secret": "not-a-secret",
                    "settings": {"server_url": issuer},
                }
            ],
        }
    }
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", issuer]}
    for name, value in extra.items():
        setattr(settings, name, value)


@pytest.fixture
def sso(settings, oidc_provider):
    """SSO on, against the provider. `sso.person(sub, email, verified=True)` sets what the provider says of a user."""
    sso_settings(settings, oidc_provider)

    def person(sub, email, verified=True):
        claims = {"email": email, "email_verified": verified, "name": sub}
        requests.put(f"{oidc_provider}/users/{sub}", json=claims, timeout=10).raise_for_status()
        return sub

    return SimpleNamespace(issuer=oidc_provider, person=person)


def sso_sign_in(client, sub, next_url=None):
    """The authorization-code flow with the Django test client and real HTTP to the provider: the button's POST,
    the provider's authorization (as its form would post it), then the callback. Returns the callback's answer."""
    start = client.post("/accounts/oidc/sso/login/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    authorized = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert authorized.status_code == 302, authorized.text
    callback = urlsplit(authorized.headers["Location"])
    assert callback.path == "/accounts/oidc/sso/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")
