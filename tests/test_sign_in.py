"""Sign-in protection: throttling per account and per address (django-axes), idle expiry, resets."""

import datetime
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.models import UserManager
from tests.factories import PASSWORD, EmployeeFactory

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


def test_fullwidth_and_case_spellings_of_one_account_add_up_to_one_count(cast):
    spellings = [
        "ＲＥＰＯＲＴ@test.example",
        "ｒｅｐｏｒｔ@test.example",
        "Ｒeport@TEST.example",
        "REPORT@test.example",
    ]
    for n, spelling in enumerate([*spellings, "report@test.example"]):
        attempt(spelling, address=f"10.2.2.{n}")  # one failure per address: only the account adds up
    assert attempt("report@test.example", PASSWORD, address="10.3.3.3").status_code == 429


def test_a_spelling_the_database_matches_counts_against_that_account(cast, monkeypatch):
    """PostgreSQL's UPPER() turns the dotless ı (U+0131) into I, so `pedro.adeyemı@…` signs in as Pedro;
    str.lower() kept the ı, and django-axes counted those failures against another, unlimited, account.
    SQLite folds ASCII only, so the test looks people up the way PostgreSQL compares them."""
    EmployeeFactory(user__email="pedro.adeyemi@test.example")
    monkeypatch.setattr(UserManager, "get_by_natural_key", lambda self, email: self.get(email__iexact=email.upper()))
    assert attempt("pedro.adeyemı@test.example", PASSWORD).status_code == 302  # the lookup matches...
    spellings = ["pedro.adeyemı@test.example", "PEDRO.ADEYEMı@test.example", "Pedro.Adeyemı@TEST.example"]
    for n, spelling in enumerate([*spellings, *spellings[:2]]):
        attempt(spelling, address=f"10.4.4.{n}")
    assert attempt("pedro.adeyemi@test.example", PASSWORD, address="10.5.5.5").status_code == 429  # ...and counts


@pytest.mark.parametrize("username", ["İ" * 254, "İ" * 200 + "@test.example", "ß" * 254, "ﷺ" * 254, "İ" * 1000])
def test_a_username_that_grows_when_folded_is_a_normal_failure(cast, username):
    """254 × İ is a valid length, but lowercased it is 508 characters: too long for django-axes' username
    column (255), a 500 on PostgreSQL. Too long to be anyone's email, it is counted under a digest.
    (Django's sign-in form does not enforce its 254-character limit, hence the 1,000.)"""
    response = attempt(username)
    assert response.status_code == 200 and "Please enter a correct email address and password" in response.text
    longest = AccessAttempt._meta.get_field("username").max_length
    assert [len(name) <= longest for name in AccessAttempt.objects.values_list("username", flat=True)] == [True]
    for _ in range(LIMIT - 1):
        attempt(username, address="10.6.6.6")
    assert attempt(username, address="10.7.7.7").status_code == 429  # still counted as one account


def test_one_persons_typos_do_not_lock_out_their_office(cast):
    office = "192.0.2.7"
    for _ in range(LIMIT):
        attempt("report@test.example", address=office)
    assert attempt("manager@test.example", PASSWORD, address=office).status_code == 302  # a colleague, same address
    assert attempt("report@test.example", PASSWORD, address=office).status_code == 429  # the account is paused...
    assert attempt("report@test.example", PASSWORD, address="198.51.100.4").status_code == 429  # ...from anywhere


def test_password_spraying_from_one_address_pauses_that_address(cast, settings):
    limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    assert limit == 50
    for n in range(limit - 1):
        attempt(f"person{n}@test.example", address="192.0.2.9")  # a few guesses each across many accounts
    assert attempt("report@test.example", PASSWORD, address="192.0.2.9").status_code == 302
    attempt("person-last@test.example", address="192.0.2.9")
    assert attempt("manager@test.example", PASSWORD, address="192.0.2.9").status_code == 429
    assert attempt("manager@test.example", PASSWORD, address="192.0.2.10").status_code == 302


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


def test_the_admin_has_no_sign_in_form_of_its_own(cast):
    # It sends to the sign-in page, which counts the failures (and asks for the second factor): a password posted
    # to the admin is never checked, right or wrong.
    for password in ["nope", PASSWORD]:
        response = Client(REMOTE_ADDR="10.5.5.5").post(
            "/admin/login/", {"username": "hr@test.example", "password": password}
        )
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    assert not AccessAttempt.objects.exists()


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
    stored = client.session
    stored["_alliance_seen"] -= settings.SESSION_COOKIE_AGE - 5 * 60  # idle for all but the last 5 minutes
    stored.save()
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


def test_the_first_page_after_sign_in_does_not_write_the_session_again(cast):
    """Signing in writes the session anyway; it stamps the idle clock then, so the dashboard it redirects
    to reads the session without an UPDATE and a commit of its own."""
    client = Client()
    client.post(reverse("login"), {"username": "report@test.example", "password": PASSWORD})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
