"""Mail leaves the request: a task the database worker sends, retried when the mail server is down."""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance import mail as mail_module
from alliance.background import OutgoingEmail
from alliance.mail import EMAIL_BATCH, emails_later
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
def test_many_emails_go_in_batches_over_one_connection_and_are_emptied_once_sent(cast):
    messages = [{"subject": "Hello", "body": f"Body {n}", "to": [f"p{n}@example.org"]} for n in range(EMAIL_BATCH + 1)]
    with transaction.atomic():
        emails_later(messages)
    assert DBTaskResult.objects.count() == 2  # 101 emails: two task rows, not 101
    assert OutgoingEmail.objects.filter(sent_at=None).count() == EMAIL_BATCH + 1
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m["to"][0] for m in messages)
    assert not DBTaskResult.objects.exists()
    # Each email keeps its sent mark, and nothing of the message (links with tokens, the address).
    assert [e for e in OutgoingEmail.objects.values_list("subject", "body", "to") if e != ("", "", [])] == []
    assert not OutgoingEmail.objects.filter(sent_at=None).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_rolled_back_action_leaves_no_email_and_no_task(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        emails_later([{"subject": "Hello", "body": "x", "to": ["p@example.org"]}])
        raise RuntimeError("the action failed")
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()


class FakeMailer:
    """A mail connection that records what it sends and fails as told (`fail(to)` returns an error or None)."""

    def __init__(self, fail):
        self.sent, self.fail = [], fail

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        error = self.fail(messages[0].to[0], len(self.sent))
        if error:
            raise error
        self.sent.extend(m.to[0] for m in messages)
        return 1


def queued(addresses):
    return [OutgoingEmail.objects.create(subject="Hi", body="x", to=[a]).pk for a in addresses]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_batch_cut_off_by_the_mail_server_retries_only_the_unsent_rest(cast, caplog, monkeypatch):
    mailer = FakeMailer(lambda to, sent: ConnectionRefusedError("the server went away") if sent == 2 else None)
    monkeypatch.setattr(mail_module, "mailers", type("Mailers", (), {"default": mailer})())
    ids = queued(f"p{n}@example.org" for n in range(5))
    with caplog.at_level(logging.WARNING, logger="alliance.mail"):
        mail_module.emails_send.call(ids=ids)
    assert mailer.sent == ["p0@example.org", "p1@example.org"]
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"ids": ids[2:], "attempt": 2}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_batch_run_again_sends_only_what_it_had_not_sent(cast, monkeypatch):
    """What a worker killed mid-batch leaves: some rows marked sent. The batch run again skips them."""
    mailer = FakeMailer(lambda to, sent: None)
    monkeypatch.setattr(mail_module, "mailers", type("Mailers", (), {"default": mailer})())
    ids = queued(f"p{n}@example.org" for n in range(5))
    OutgoingEmail.objects.filter(pk__in=ids[:3]).update(sent_at=timezone.now())
    mail_module.emails_send.call(ids=ids)
    assert mailer.sent == ["p3@example.org", "p4@example.org"]
    mail_module.emails_send.call(ids=ids)
    assert mailer.sent == ["p3@example.org", "p4@example.org"]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_an_address_the_server_refuses_leaves_the_batch_and_the_others_go(cast, monkeypatch):
    def refuse_bad(to, sent):
        return smtplib.SMTPRecipientsRefused({to: (550, b"no such user")}) if to == "bad@example.org" else None

    mailer = FakeMailer(refuse_bad)
    monkeypatch.setattr(mail_module, "mailers", type("Mailers", (), {"default": mailer})())
    ids = queued(["a@example.org", "bad@example.org", "b@example.org", "c@example.org"])
    mail_module.emails_send.call(ids=ids)
    assert mailer.sent == ["a@example.org", "b@example.org", "c@example.org"]
    alone = DBTaskResult.objects.get()  # the refused one, retried on its own
    assert alone.args_kwargs["kwargs"]["ids"] == [ids[1]]
    # On its own, refused again: retried later like any failed send.
    DBTaskResult.objects.all().delete()
    mail_module.emails_send.call(ids=[ids[1]])
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"ids": [ids[1]], "attempt": 2}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_after_the_last_attempt_the_email_is_given_up_and_emptied(cast, caplog):
    ids = queued(["p@example.org"])
    with override_settings(MAILERS=MAIL_SERVER_DOWN), caplog.at_level(logging.ERROR, logger="alliance.mail"):
        mail_module.emails_send.call(ids=ids, attempt=len(mail_module.RETRY_MINUTES) + 1)
    assert "giving up" in caplog.text
    email = OutgoingEmail.objects.get()
    assert email.given_up_at and (email.subject, email.body, email.to) == ("", "", [])
