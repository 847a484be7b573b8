"""The findings of the production probe (issue 22) that are one rule each: the probe's own request, answered
as it should be now. Each test failed before its fix."""

import logging
import time

from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from alliance.background import ResetRequest
from alliance.models import User
from alliance.notifications import hr_people, notify_hr
from tests.security.test_enumeration import page
from tests.test_sign_in import PASSWORD


def test_head_healthz_answers_200_like_get(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    assert client.post("/healthz").status_code == 405


def test_a_refused_request_is_logged_as_one_warning_line_without_a_traceback(cast, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client_for("report").get(reverse("people:import")).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "\n" not in logging.Formatter().format(record)  # one line: "Forbidden (…): /people/import/"


def test_hr_notices_reach_an_hr_account_without_an_employee_record(cast, django_capture_on_commit_callbacks):
    staff = User.objects.create_user("hr-desk@test.example", password=PASSWORD)
    staff.user_permissions.add(Permission.objects.get(codename="hr", content_type__app_label="alliance"))
    admin = User.objects.create_superuser("admin@test.example", password=PASSWORD)
    User.objects.create_user("nobody@test.example", password=PASSWORD)  # no HR: not told
    assert set(hr_people()) == {cast.hr.user, staff, admin}
    User.objects.update(mail=User.Mail.IMMEDIATE)  # each asked for every email at once (else: the digest)
    with django_capture_on_commit_callbacks(execute=True):
        notify_hr(message="A referral to follow up", email_subject="A referral")
    assert staff.notifications.filter(message="A referral to follow up").exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.hr.user.email, staff.email, admin.email])


def test_a_session_ends_twelve_hours_after_sign_in_however_active(cast, settings):
    assert settings.SESSION_MAX_AGE_SECONDS == 12 * 60 * 60
    client = Client()
    client.post(reverse("login"), {"username": "report@test.example", "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session["_alliance_started"] = int(time.time()) - settings.SESSION_MAX_AGE_SECONDS + 60  # 11 h 59 in
    session["_alliance_seen"] = int(time.time())  # and active a moment ago
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session["_alliance_started"] -= 61  # 12 h and a second
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.post(reverse("login"), {"username": "report@test.example", "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200  # signing in again starts a new session


def reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_password_reset_is_throttled_per_address_the_same_for_a_known_and_an_unknown_one(cast, settings, mailoutbox):
    limit = settings.PASSWORD_RESET_ADDRESS_LIMIT
    answers = []
    for email in ("report@test.example", "nobody@test.example"):
        for _ in range(limit + 3):
            answers.append(page(reset(Client(REMOTE_ADDR=f"10.9.{len(answers)}.1"), email)))
    assert all(a == answers[0] for a in answers)  # every answer alike: sent or not, known or not
    assert len(mailoutbox) == limit  # the known address got `limit` emails, not limit + 3
    assert ResetRequest.objects.count() == 2 * limit  # the unknown one was counted the same way


def test_password_reset_is_throttled_per_client_address(cast, settings, mailoutbox):
    settings.PASSWORD_RESET_IP_LIMIT = 5
    spray = Client(REMOTE_ADDR="10.7.7.7")
    answers = [page(reset(spray, f"p{n}@test.example")) for n in range(8)]
    answers.append(page(reset(spray, "report@test.example")))
    assert all(a == answers[0] for a in answers) and mailoutbox == []  # the known one, ninth from there: not sent
    assert ResetRequest.objects.count() == 5
    reset(Client(REMOTE_ADDR="10.8.8.8"), "report@test.example")  # another client is not held up
    assert [m.to for m in mailoutbox] == [["report@test.example"]]


def test_the_throttle_keeps_no_readable_address(cast):
    reset(Client(), "report@test.example")
    row = ResetRequest.objects.get()
    assert "report" not in row.address and "127.0.0.1" not in row.ip and len(row.address) == 64
