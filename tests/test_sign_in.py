"""Sign-in protection: throttling per account and per address (django-axes), idle expiry, resets."""

import datetime
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

LIMIT = 5


def attempt(email, password="wrong-password", address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": email, "password": password})


def test_right_password_signs_in_and_goes_to_the_dashboard(cast):
    response = attempt("report@test.example", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_wrong_password_says_so_without_pausing(cast):
    response = attempt("report@test.example")
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.text


def test_repeated_failures_pause_the_account_from_any_address(cast):
    for n in range(LIMIT):
        attempt("report@test.example", address=f"10.0.0.{n}")
    response = attempt("report@test.example", PASSWORD, address="10.9.9.9")  # the right password, too late
    assert response.status_code == 429
    assert "Sign-in paused" in response.text and "15 minutes" in response.text
    assert "reset it by email" in response.text
    assert attempt("manager@test.example", PASSWORD, address="10.9.9.9").status_code == 302  # others unaffected


def test_letter_case_does_not_dodge_the_account_count(cast):
    variants = ["Report@test.example", "REPORT@test.example", "report@TEST.example", " report@test.example "]
    for n, variant in enumerate([*variants, "report@test.example"]):
        attempt(variant, address=f"10.1.1.{n}")  # one failure per address: only the account adds up
    assert attempt("report@test.example", PASSWORD, address="10.3.3.3").status_code == 429


def test_repeated_failures_from_one_address_pause_that_address(cast):
    for n in range(LIMIT):
        attempt(f"nobody{n}@test.example", address="192.0.2.7")
    assert attempt("report@test.example", PASSWORD, address="192.0.2.7").status_code == 429
    assert attempt("report@test.example", PASSWORD, address="192.0.2.8").status_code == 302


def test_success_clears_the_count(cast):
    for _ in range(LIMIT - 1):
        attempt("report@test.example")
    assert attempt("report@test.example", PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        attempt("report@test.example", address="10.0.0.2")
    assert attempt("report@test.example", PASSWORD, address="10.0.0.3").status_code == 302


def test_the_pause_ends_after_the_cool_off(cast):
    for _ in range(LIMIT):
        attempt("report@test.example")
    assert attempt("report@test.example", PASSWORD, address="10.0.0.9").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt("report@test.example", PASSWORD, address="10.0.0.9").status_code == 302


def test_a_password_reset_lifts_the_pause_on_that_account(cast):
    for n in range(LIMIT):
        attempt("report@test.example", address=f"10.0.1.{n}")
    client = Client()
    client.post(reverse("password_reset"), {"email": "report@test.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    response = client.get(urlsplit(link.strip()).path, follow=True)  # the link starts with SITE_URL
    new = "a-brand-new-pass-42"
    client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert attempt("report@test.example", new, address="10.0.2.1").status_code == 302


def test_the_admin_sign_in_is_throttled_too(cast):
    for _ in range(LIMIT):
        Client(REMOTE_ADDR="10.5.5.5").post("/admin/login/", {"username": "hr@test.example", "password": "nope"})
    assert attempt("hr@test.example", PASSWORD, address="10.6.6.6").status_code == 429


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (False, "203.0.113.9", "10.0.0.1"),  # not behind a proxy: the header is the client's, ignored
        (True, "203.0.113.9", "203.0.113.9"),
        (True, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is not trusted
        (True, "", "10.0.0.1"),
    ],
)
def test_the_address_counted_is_the_one_our_proxy_saw(rf, settings, behind_proxy, forwarded, expected):
    from alliance.security import client_ip

    settings.BEHIND_TLS_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_an_idle_session_expires_and_activity_keeps_it_alive(cast, settings):
    client = Client()
    client.post(reverse("login"), {"username": "report@test.example", "password": PASSWORD})
    session = Session.objects.get()
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert session.expire_date > timezone.now() + idle - datetime.timedelta(minutes=1)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(reverse("dashboard")).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + idle - datetime.timedelta(minutes=1)  # pushed on
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_activity_writes_the_session_at_most_once_a_minute(cast):
    client = Client()
    client.post(reverse("login"), {"username": "report@test.example", "password": PASSWORD})
    client.get(reverse("notifications"))  # the first page after sign-in stamps the session
    before = Session.objects.get().expire_date
    client.get(reverse("notifications"))
    assert Session.objects.get().expire_date == before  # within the minute: no write
    session = client.session
    session["_alliance_seen"] -= 61
    session.save()
    stamped = Session.objects.get().expire_date
    client.get(reverse("notifications"))
    assert Session.objects.get().expire_date > stamped  # a minute on: the expiry moves
