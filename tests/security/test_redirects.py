"""After signing in (or out, or opening a notification) the site only ever sends people to itself."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from alliance.notifications import notify
from tests.factories import PASSWORD

EVIL = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http:/evil.example",
    "https://testserver@evil.example/",
    "javascript:alert(1)",
    " //evil.example",
    "\t//evil.example",
]


def assert_on_site(response):
    assert response.status_code == 302
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver"), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil.example" not in location.split("?")[0], location


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_never_leaves_the_site(cast, client, target):
    response = client.post(reverse("login"), {"username": cast.report.user.email, "password": PASSWORD, "next": target})
    assert_on_site(response)
    assert response["Location"] == reverse("dashboard")
    # Already signed in, the sign-in page sends you on at once: same rule.
    assert_on_site(client.get(reverse("login"), {"next": target}))


def test_sign_in_follows_a_next_on_this_site(cast, client):
    """So the refusals above come from the host check, not from a sign-in that ignores `next`."""
    data = {"username": cast.report.user.email, "password": PASSWORD, "next": "/tours/"}
    response = client.post(reverse("login"), data)
    assert response["Location"] == "/tours/"


@pytest.mark.parametrize("target", EVIL)
def test_sign_out_never_leaves_the_site(cast, client, target):
    client.force_login(cast.report.user)
    response = client.post(reverse("logout"), {"next": target})
    if response.status_code == 302:
        assert_on_site(response)
    else:
        assert response.status_code == 200  # the signed-out page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", [*EVIL, "/tours/"])
def test_a_notification_only_opens_pages_of_this_site(cast, client, target):
    notification = notify(user=cast.report.user, message="Look", url=target)
    client.force_login(cast.report.user)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert_on_site(response)
    assert response["Location"] == ("/tours/" if target == "/tours/" else reverse("notifications"))


def test_the_next_field_is_escaped_on_the_sign_in_page(client):
    response = client.get(reverse("login"), {"next": '/"><script>alert(1)</script>'})
    assert b"<script>alert(1)" not in response.content
