"""Every email the app sends leaves through here, as a background task (Django's task framework).

A request only records the task; the worker (`manage.py db_worker`, django-tasks-db) sends it. So a
mail server that is down or slow never turns a committed action into a 500 or a slow page, and a
known and an unknown address take the same path through a request. A failed send is logged and
tried again later (RETRY_MINUTES), then given up with an error in the log. Each email is a row (OutgoingEmail)
with a sent mark, so a batch run again after its worker died sends only what it had not sent; a sent email's
subject, body and address are emptied at once (messages hold sign-in links).
"""

import datetime
import logging
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives, mailers
from django.dispatch import receiver
from django.tasks import TaskResultStatus, default_task_backend, task
from django.tasks.signals import task_finished
from django.template import loader
from django.utils import timezone

from alliance.background import OutgoingEmail
from alliance.worker import enqueue_with_work

logger = logging.getLogger(__name__)

# Minutes to wait before each further attempt: about a day and a half of retries in all.
RETRY_MINUTES = (1, 5, 30, 120, 480, 1440)


def email_later(*, subject, body, to):
    """Send this email in the background once the surrounding transaction commits (never if it rolls back)."""
    emails_later([{"subject": subject, "body": body, "to": to}])


# Emails queued together (an import's sign-in links) go EMAIL_BATCH to a task, sent over one connection: one
# task row and one SMTP session per 100 people rather than per person.
EMAIL_BATCH = 100


def emails_later(messages):
    """Like email_later for many emails (dicts of subject, body, to; optionally html, an HTML alternative). Each
    email is a row (OutgoingEmail) written in the surrounding transaction with its batch's task
    (alliance.worker.enqueue_with_work): the action, its emails and the tasks that send them commit together or
    not at all."""
    rows = OutgoingEmail.objects.bulk_create(
        [
            # One line: user text (a tour title) may hold line breaks.
            OutgoingEmail(
                subject=" ".join(m["subject"].split()), body=m["body"], html=m.get("html", ""), to=list(m["to"])
            )
            for m in messages
        ],
        batch_size=500,
    )
    ids = [row.pk for row in rows]
    for i in range(0, len(ids), EMAIL_BATCH):
        enqueue_with_work(emails_send, ids=ids[i : i + EMAIL_BATCH])


def _sent(email, **mark):
    """Mark one email sent (or given up) and empty it, committed at once: the mark is what a rerun reads."""
    OutgoingEmail.objects.filter(pk=email.pk).update(subject="", body="", html="", to=[], **mark)


def _message(email):
    message = EmailMultiAlternatives(email.subject, email.body, None, email.to)
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


@task()
def emails_send(*, ids, attempt=1):
    """The task: send these emails over one connection, skipping any already sent, so a batch run again (its
    worker died, the mail server went away mid-batch) sends each email once. A message the server refuses (its
    recipient, its data) leaves the batch and is retried on its own later, so one bad address never holds up the
    others; an address Django itself rejects is logged and given up. When the connection fails, the emails not
    sent yet are tried again later as a batch. Sent and given-up emails are emptied at once (links, addresses)."""
    pending = list(OutgoingEmail.objects.filter(pk__in=ids, sent_at=None, given_up_at=None).order_by("pk"))
    done = 0
    try:
        with mailers.default as mailer:  # one connection for the batch
            for email in pending:
                try:
                    mailer.send_messages([_message(email)])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    if len(pending) == 1:
                        raise
                    logger.warning("Email refused in a batch (%s); retrying it on its own", error)
                    emails_send.enqueue(ids=[email.pk], attempt=attempt)
                except ValueError as error:  # an address no mail server would take
                    logger.error("Email not sent, invalid address: %s", error)
                    _sent(email, given_up_at=timezone.now())
                else:
                    _sent(email, sent_at=timezone.now())
                done += 1
    except (OSError, smtplib.SMTPException) as error:
        if pending[done:]:
            retry_later(emails_send, error=error, attempt=attempt, ids=[e.pk for e in pending[done:]])


def retry_later(task_, *, error, attempt, ids):
    """Schedule `task_` again after the next delay in RETRY_MINUTES; after the last one, log an error and give the
    emails up (emptied: they hold links and addresses)."""
    can_wait = default_task_backend.supports_defer
    if attempt > len(RETRY_MINUTES) or not can_wait:
        logger.error("Email not sent, giving up after attempt %s: %s", attempt, error)
        OutgoingEmail.objects.filter(pk__in=ids, sent_at=None).update(
            subject="", body="", html="", to=[], given_up_at=timezone.now()
        )
        return
    delay = datetime.timedelta(minutes=RETRY_MINUTES[attempt - 1])
    logger.warning("Email not sent (attempt %s: %s); trying again in %s", attempt, error, delay)
    task_.using(run_after=timezone.now() + delay).enqueue(attempt=attempt + 1, ids=ids)


@receiver(task_finished)
def forget_sent_email(sender, task_result, **kwargs):
    """Delete the worker's row of a finished email task (a password reset's holds the address). Failures stay for
    the log's reader."""
    row = getattr(task_result, "db_result", None)  # only the database backend keeps a row
    if row and task_result.status == TaskResultStatus.SUCCESSFUL and task_result.task.module_path in SENDING_TASKS:
        row.delete()


class _BackgroundPasswordResetForm(PasswordResetForm):
    """Django's reset form, handing each email to email_send (and its retries) instead of sending it in place."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        # This runs in the reset task itself: no action's transaction to wait for, so the email is queued at once.
        email = OutgoingEmail.objects.create(subject=subject, body=body, to=[to_email])
        emails_send.enqueue(ids=[email.pk])


@task()
def password_reset_send(*, email):
    """Email a reset link to the account with this address, if there is one. Runs in the worker, so the request
    that asked answers the same way, in the same time, for a known and an unknown address."""
    form = _BackgroundPasswordResetForm({"email": email})
    if form.is_valid():
        site = urlsplit(settings.SITE_URL)
        form.save(domain_override=site.netloc, use_https=site.scheme == "https")


SENDING_TASKS = {emails_send.module_path, password_reset_send.module_path}
