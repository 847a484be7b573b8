"""People writes with side effects: adding a person, sign-in (activation) links, applying a CSV import.

A sign-in link is a random token emailed once; only its sha256 is stored (as alumni invitations do). It sets
the first password of an account created with an unusable one, works once, and expires after
SIGN_IN_LINK_DAYS. Mail leaves after the commit, through alliance.mail.
"""

import datetime
import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import OperationalError, transaction
from django.dispatch import receiver
from django.tasks import TaskResultStatus, task
from django.tasks.signals import task_finished
from django.urls import reverse
from django.utils import timezone

from alliance import imports
from alliance.events import emit
from alliance.mail import emails_later
from alliance.models import SIGN_IN_LINK_DAYS, Employee, ImportJob, SignInLink, hash_token
from alliance.worker import PREVIEW_KEPT, enqueue_with_work

logger = logging.getLogger(__name__)


class SignInLinkError(Exception):
    """A request the rules refuse; the message is for the person who made it."""


def not_activated(employees):
    """Of these people, those employed or starting later whose account has no usable password yet."""
    return employees.not_left().filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)


@transaction.atomic
def person_add(*, form, by, send_link=True):
    """HR adds a person: the record, its sign-in, and an emailed sign-in link, together or not at all.
    `send_link=False` when the person signs in through the company's identity provider (SCIM with SSO)."""
    employee = form.save()
    if send_link and not employee.has_left():  # a person starting later gets their link now, for their preboarding
        sign_in_links_send(employees=[employee], by=by)
    emit("person.joined", employee, {"hire_date": employee.hire_date.isoformat()})
    return employee


@transaction.atomic
def sign_in_links_send(*, employees, by):
    """A new link for each person (their earlier open links stop working); one email each, after commit.
    `employees` need their user loaded. Three queries however many people: an import sends thousands."""
    now = timezone.now()
    if not employees:
        return []
    SignInLink.objects.filter(
        employee__in=[e.pk for e in employees], used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    tokens = [secrets.token_urlsafe(32) for _ in employees]
    links = SignInLink.objects.bulk_create(
        [
            SignInLink(
                employee=employee,
                token_hash=hash_token(token),
                created_at=now,
                expires_at=now + datetime.timedelta(days=SIGN_IN_LINK_DAYS),
                sent_by=by,
            )
            for employee, token in zip(employees, tokens, strict=True)
        ],
        batch_size=imports.BATCH,
    )
    site = settings.SITE_URL.rstrip("/")
    emails = []
    for employee, token in zip(employees, tokens, strict=True):
        link = site + reverse("activate", args=[token])
        body = (
            f"Dear {employee.first_name},\n\nAn account has been opened for you on Alliance, where your tours of duty "
            f"are agreed and followed. Choose your password here:\n\n{link}\n\nYou will sign in with "
            f"{employee.user.email}. The link works once and expires in {SIGN_IN_LINK_DAYS} days; if it has "
            f"expired, ask HR for a new one.\n\n— Alliance"
        )
        emails.append({"subject": "Your Alliance sign-in", "body": body, "to": [employee.user.email]})
    emails_later(emails)
    return links


@transaction.atomic
def sign_in_link_send(*, employee, by):
    """HR sends (or sends again) one person's link. Refused for an account already activated or a departed person."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    if employee.user.has_usable_password():
        raise SignInLinkError(
            f"{employee.full_name} has already chosen a password; “Forgot your password?” on the sign-in page "
            "sends them a reset link."
        )
    if employee.has_left():
        raise SignInLinkError(f"{employee.full_name} has left; alumni join through an alumni invitation.")
    return sign_in_links_send(employees=[employee], by=by)[0]


class LinkClosed(Exception):
    """A one-time link that can no longer be used; `state` says why (used, revoked, expired)."""

    def __init__(self, state):
        super().__init__(state)
        self.state = state


@transaction.atomic
def one_time_link_use(*, link, password_hash):
    """Set the password chosen through a one-time link (a sign-in link, an alumni invitation) and mark the
    link used. Locks the link, so it is used once even when submitted twice at once. Returns the user and the
    locked link; the caller does what joining means for its kind of link in the same transaction.

    Takes the password already hashed (make_password, ~1 s of PBKDF2): hashing inside this transaction held
    the write lock that long, and on SQLite the worker's writes meanwhile turned it into "database is locked"."""
    link = type(link).objects.select_for_update(of=("self",)).select_related("employee__user").get(pk=link.pk)
    if link.state != "open":
        raise LinkClosed(link.state)
    user = link.employee.user
    user.password = password_hash
    user.save(update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return user, link


def sign_in_link_use(*, link, password_hash):
    """A new person chooses their first password through their sign-in link; returns the user."""
    return one_time_link_use(link=link, password_hash=password_hash)[0]


def sign_in_links_revoke(*, employee):
    """Close this person's open sign-in links (they left, or joined the alumni with their own password)."""
    return SignInLink.objects.filter(employee=employee, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def import_job_preview(*, owner, content, plan):
    """Keep a checked file for its confirmation, and delete the previews nobody confirmed within PREVIEW_KEPT."""
    ImportJob.objects.filter(state=ImportJob.State.PREVIEWED, created_at__lt=timezone.now() - PREVIEW_KEPT).delete()
    return ImportJob.objects.create(owner=owner, content=content, row_count=len(plan.rows))


@transaction.atomic
def import_job_confirm(*, job):
    """Queue the previewed import; the task applies it (inside this request with the ImmediateBackend)."""
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEWED).update(
        state=ImportJob.State.QUEUED
    )  # one confirmation per preview: a double click does not queue it twice
    if updated:
        enqueue_with_work(import_job_run, job_id=job.pk)
    return bool(updated)


@transaction.atomic
def import_job_retry(*, job):
    """HR tries a failed import again, while its file is still kept (FAILED_IMPORT_KEPT). Returns False when it
    cannot be: not failed (a double click), or the file is gone."""
    updated = (
        ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.FAILED)
        .exclude(content="")
        .update(state=ImportJob.State.QUEUED, problems=[], started_at=None, finished_at=None)
    )
    if updated:
        enqueue_with_work(import_job_run, job_id=job.pk)
    return bool(updated)


# An import goes before queued bulk email: HR is watching its status page.
@task(priority=10)
def import_job_run(*, job_id):
    """Apply a confirmed import in one transaction: people, sign-ins and sign-in links (their emails are rows of
    the same transaction), or nothing. The state goes to 'running' first (committed, so the status page shows it),
    then 'done' or 'failed' with the reason. A job found 'running' is one whose worker died mid-import (the task
    is run again by alliance.worker.tasks_recover; the dead worker's transaction never committed): it starts over."""
    claimed = ImportJob.objects.filter(pk=job_id, state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )  # done or failed: a stray rerun does nothing
    if not claimed:
        return
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    try:
        plan, created = _import_apply(job)
    except ValueError:
        plan = imports.plan_import(job.content, importer=job.owner)
        problems = plan.problems + [f"Line {r.line}: {p}" for r in plan.rows for p in r.problems]
        job.state, job.problems = ImportJob.State.FAILED, ["The data changed since the preview.", *problems[:50]]
    except Exception as error:
        logger.exception("Import %s failed", job_id)
        job.state = ImportJob.State.FAILED
        job.problems = [f"An unexpected error stopped the import ({type(error).__name__}); nothing was imported."]
    else:
        job.state, job.counts, job.created_ids = ImportJob.State.DONE, plan.counts, [e.pk for e in created]
        job.content = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "problems", "counts", "created_ids", "content", "finished_at"])


def _import_apply(job, attempts=3):
    """The import's one transaction. On SQLite it takes the write lock when it begins (IMMEDIATE, config/settings)
    and waits its turn behind the worker's own heartbeat or a request; a database still busy after that wait
    ("database is locked") is tried again, up to `attempts` times."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                plan, created = imports.apply_import(job.content, by=job.owner)
                sign_in_links_send(employees=[e for e in created if not e.has_left()], by=job.owner)
                for employee in created:  # announced once the import commits
                    emit("person.joined", employee, {"hire_date": employee.hire_date.isoformat()})
            return plan, created
        except OperationalError as error:
            if attempt == attempts or "locked" not in str(error):
                raise
            logger.warning("Import %s: the database was busy (%s); trying again", job.pk, error)
            time.sleep(attempt)


@receiver(task_finished)
def import_job_lost(sender, task_result, **kwargs):
    """An import whose worker died on every attempt (alliance.worker gave its task up) fails with the reason."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path != import_job_run.module_path:
        return
    ImportJob.objects.filter(
        pk=task_result.kwargs["job_id"], state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
    ).update(
        state=ImportJob.State.FAILED,
        finished_at=timezone.now(),
        problems=["The import stopped before it finished, each time it was tried; nothing was imported."],
    )
