"""Every email the app sends leaves through here, as a background task (Django's task framework).

A request only records the task; the worker (`manage.py db_worker`, django-tasks-db) sends it. So a
mail server that is down or slow never turns a committed action into a 500 or a slow page, and a
known and an unknown address take the same path through a request. A failed send is logged and
tried again later (RETRY_MINUTES), then given up with an error in the log. A sent email's task row is
deleted at once: it holds the message, and messages hold sign-in links.
"""

import datetime
import logging
import smtplib
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage, mailers, send_mail
from django.db import transaction
from django.dispatch import receiver
from django.tasks import TaskResultStatus, default_task_backend, task
from django.tasks.signals import task_finished
from django.template import loader
from django.utils import timezone

logger = logging.getLogger(__name__)

# Minutes to wait before each further attempt: about a day and a half of retries in all.
RETRY_MINUTES = (1, 5, 30, 120, 480, 1440)


def email_later(*, subject, body, to):
    """Send this email in the background once the surrounding transaction commits (never if it rolls back)."""
    subject = " ".join(subject.split())  # one line: user text (a tour title) may hold line breaks
    transaction.on_commit(partial(email_send.enqueue, subject=subject, body=body, to=list(to)))


# Emails queued together (an import's sign-in links) go EMAIL_BATCH to a task, sent over one connection: one
# task row and one SMTP session per 100 people rather than per person.
EMAIL_BATCH = 100


def emails_later(messages):
    """Like email_later for many emails (dicts of subject, body, to): queued after the commit, in batches."""
    messages = [{**m, "subject": " ".join(m["subject"].split()), "to": list(m["to"])} for m in messages]
    batches = [messages[i : i + EMAIL_BATCH] for i in range(0, len(messages), EMAIL_BATCH)]
    transaction.on_commit(partial(_enqueue_batches, batches))


def _enqueue_batches(batches):
    with transaction.atomic():
        for batch in batches:
            emails_send.enqueue(messages=batch)


@task()
def email_send(*, subject, body, to, attempt=1):
    """The task: send one email; on a mail-server failure log it and, where the backend can wait, retry later."""
    try:
        send_mail(subject, body, None, to, fail_silently=False)
    except (OSError, smtplib.SMTPException) as error:
        retry_later(email_send, error=error, attempt=attempt, subject=subject, body=body, to=to)


@task()
def emails_send(*, messages, attempt=1):
    """The task: send a batch over one connection. A message the server refuses (its recipient, its data) leaves
    the batch and is retried on its own (email_send), so one bad address never holds up the others; an address
    Django itself rejects is logged and dropped. When the connection fails, the messages not sent yet are tried
    again later as a batch (those already sent are not sent twice)."""
    done = 0
    try:
        with mailers.default as mailer:  # one connection for the batch
            for message in messages:
                try:
                    mailer.send_messages([EmailMessage(message["subject"], message["body"], None, message["to"])])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    logger.warning("Email refused in a batch (%s); retrying it on its own", error)
                    email_send.enqueue(**message)
                except ValueError as error:  # an address no mail server would take
                    logger.error("Email not sent, invalid address: %s", error)
                done += 1
    except (OSError, smtplib.SMTPException) as error:
        if messages[done:]:
            retry_later(emails_send, error=error, attempt=attempt, messages=messages[done:])


def retry_later(task_, *, error, attempt, **kwargs):
    """Schedule `task_` again after the next delay in RETRY_MINUTES; after the last one, log an error and stop."""
    can_wait = default_task_backend.supports_defer
    if attempt > len(RETRY_MINUTES) or not can_wait:
        logger.error("Email not sent, giving up after attempt %s: %s", attempt, error)
        return
    delay = datetime.timedelta(minutes=RETRY_MINUTES[attempt - 1])
    logger.warning("Email not sent (attempt %s: %s); trying again in %s", attempt, error, delay)
    task_.using(run_after=timezone.now() + delay).enqueue(attempt=attempt + 1, **kwargs)


@receiver(task_finished)
def forget_sent_email(sender, task_result, **kwargs):
    """Delete the worker's row of a finished email task: its arguments hold the body (links with tokens) and the
    address, which must not outlive the sending (erasure, token secrecy). Failures stay for the log's reader."""
    row = getattr(task_result, "db_result", None)  # only the database backend keeps a row
    if row and task_result.status == TaskResultStatus.SUCCESSFUL and task_result.task.module_path in SENDING_TASKS:
        row.delete()


class _BackgroundPasswordResetForm(PasswordResetForm):
    """Django's reset form, handing each email to email_send (and its retries) instead of sending it in place."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        email_send.enqueue(subject=subject, body=body, to=[to_email])


@task()
def password_reset_send(*, email):
    """Email a reset link to the account with this address, if there is one. Runs in the worker, so the request
    that asked answers the same way, in the same time, for a known and an unknown address."""
    form = _BackgroundPasswordResetForm({"email": email})
    if form.is_valid():
        site = urlsplit(settings.SITE_URL)
        form.save(domain_override=site.netloc, use_https=site.scheme == "https")


SENDING_TASKS = {email_send.module_path, emails_send.module_path, password_reset_send.module_path}
