"""Mail leaves the request: a task the database worker sends, retried when the mail server is down."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import make_tour
from tours.models import Signature

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAIL_SERVER_DOWN = {"default": {"BACKEND": "tests.test_mail.RefusingBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def sign(client, tour, revision=1):
    return client.post(reverse("tours:sign", args=[tour.pk]), {"revision": revision})


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_signing_only_queues_the_mail_and_the_worker_sends_it_then_forgets_it(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    DBTaskResult.objects.all().delete()  # the proposal's own email
    assert sign(client_for("manager"), tour).status_code == 302
    assert mail.outbox == [] and DBTaskResult.objects.count() == 1

    run_worker()

    assert [m.to for m in mail.outbox] == [[cast.report.user.email]]
    assert "signed" in mail.outbox[0].body
    # The row held the message and the address: gone once sent.
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=IMMEDIATE_TASKS, MAILERS=MAIL_SERVER_DOWN)
def test_with_the_mail_server_down_signing_still_succeeds(cast, client_for, caplog):
    tour = make_tour(cast.report, state="proposed")
    with caplog.at_level(logging.ERROR, logger="alliance.mail"):
        response = sign(client_for("manager"), tour)
    assert response.status_code == 302
    assert Signature.objects.filter(revision__tour=tour, role="manager").exists()
    assert "Email not sent" in caplog.text


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, MAILERS=MAIL_SERVER_DOWN)
def test_a_failed_send_is_logged_and_tried_again_later(cast, client_for, caplog):
    tour = make_tour(cast.report, state="proposed")
    DBTaskResult.objects.all().delete()  # the proposal's own email
    sign(client_for("manager"), tour)
    with caplog.at_level(logging.WARNING, logger="alliance.mail"):
        run_worker()
    assert "trying again in 0:01:00" in caplog.text
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)

    # The server is back and the minute has passed: the retry sends it.
    DBTaskResult.objects.update(run_after=timezone.now())
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
        run_worker()
    assert [m.to for m in mail.outbox] == [[cast.report.user.email]]
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_password_reset_takes_the_same_path_for_known_and_unknown_addresses(cast, client):
    answers = [
        client.post(reverse("password_reset"), {"email": email})
        for email in (cast.report.user.email, "nobody@test.example")
    ]
    assert [a.status_code for a in answers] == [302, 302] and answers[0].url == answers[1].url
    # Each request wrote one task row and sent nothing itself.
    assert DBTaskResult.objects.count() == 2 and mail.outbox == []

    run_worker()  # the reset tasks, which queue the one email for the known address
    run_worker()
    assert [m.to for m in mail.outbox] == [[cast.report.user.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_many_emails_go_in_batches_over_one_connection_and_are_forgotten(cast):
    from alliance.mail import EMAIL_BATCH, emails_later

    messages = [{"subject": "Hello", "body": f"Body {n}", "to": [f"p{n}@example.org"]} for n in range(EMAIL_BATCH + 1)]
    with transaction.atomic():
        emails_later(messages)
    assert DBTaskResult.objects.count() == 2  # 101 emails: two task rows, not 101
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m["to"][0] for m in messages)
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_batch_cut_off_by_the_mail_server_retries_only_the_unsent_rest(cast, caplog, monkeypatch):
    from alliance import mail as mail_module

    sent = []

    class FailsOnThird:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_messages(self, messages):
            if len(sent) == 2:
                raise ConnectionRefusedError("the server went away")
            sent.extend(m.to[0] for m in messages)
            return 1

    monkeypatch.setattr(mail_module, "mailers", type("Mailers", (), {"default": FailsOnThird()})())
    messages = [{"subject": "Hi", "body": "x", "to": [f"p{n}@example.org"]} for n in range(5)]
    with caplog.at_level(logging.WARNING, logger="alliance.mail"):
        mail_module.emails_send.call(messages=messages)
    assert sent == ["p0@example.org", "p1@example.org"]
    retry = DBTaskResult.objects.get()
    assert [m["to"][0] for m in retry.args_kwargs["kwargs"]["messages"]] == [f"p{n}@example.org" for n in (2, 3, 4)]
    assert retry.args_kwargs["kwargs"]["attempt"] == 2


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_an_address_the_server_refuses_leaves_the_batch_and_the_others_go(cast, monkeypatch):
    import smtplib

    from alliance import mail as mail_module

    sent = []

    class RefusesBad:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_messages(self, messages):
            if messages[0].to == ["bad@example.org"]:
                raise smtplib.SMTPRecipientsRefused({"bad@example.org": (550, b"no such user")})
            sent.extend(m.to[0] for m in messages)
            return 1

    monkeypatch.setattr(mail_module, "mailers", type("Mailers", (), {"default": RefusesBad()})())
    to = ["a@example.org", "bad@example.org", "b@example.org", "c@example.org"]
    mail_module.emails_send.call(messages=[{"subject": "Hi", "body": "x", "to": [t]} for t in to])
    assert sent == ["a@example.org", "b@example.org", "c@example.org"]
    alone = DBTaskResult.objects.get()  # the refused one, retried on its own
    assert alone.task_path == "alliance.mail.email_send"
    assert alone.args_kwargs["kwargs"]["to"] == ["bad@example.org"]
