"""The rows background work keeps besides django-tasks-db's own: each outgoing email, and each worker's heartbeat;
and the short-lived log of password reset requests that throttles them.

Defined here rather than in models.py (which imports them, so Django registers them with the app) to keep
that file readable. The worker that uses them is alliance.worker; the mail that fills them, alliance.mail."""

from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """One email, from the moment the action that causes it commits (same transaction) until the mail server
    takes it. `sent_at` is the sent mark: a batch task run again (its worker died, the server went away) sends
    only the rows without it, so each message goes once. Once sent or given up, the message is emptied (bodies
    hold sign-in and reset links with live tokens, and everything holds an address); the bare row is kept a week
    as the record that it went, then deleted by the worker (alliance.worker.tidy)."""

    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True, help_text="An HTML alternative of the body (the digest), or empty.")
    to = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The worker's weekly deletion of sent rows (alliance.worker.tidy).
            models.Index(fields=["sent_at"], name="outgoingemail_sent_idx"),
        ]

    def __str__(self):
        return f"Email {self.pk} ({'sent' if self.sent_at else 'given up' if self.given_up_at else 'waiting'})"


class WorkerHeartbeat(models.Model):
    """A running `db_worker`: it writes `beat_at` every TASK_HEARTBEAT_SECONDS from a thread of its own, so a
    long task never silences it. A task left running by a worker whose beat is older than TASK_WORKER_LOST_SECONDS
    is taken back by any other worker (alliance.worker.tasks_recover)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Worker {self.worker_id} on {self.host} (pid {self.pid})"


class ResetRequest(models.Model):
    """A password reset request that was let through, for the throttle (alliance.security.password_reset_allowed):
    keyed digests of the address typed and of the client's IP address, never the address itself, so the table
    names no one. Rows older than an hour no longer count and are deleted by the worker (alliance.worker.tidy)."""

    address = models.CharField(max_length=64)
    ip = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The throttle's two counts over the last hour.
            models.Index(fields=["address", "created_at"], name="resetrequest_address_idx"),
            models.Index(fields=["ip", "created_at"], name="resetrequest_ip_idx"),
        ]

    def __str__(self):
        return f"Reset request at {self.created_at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """A digest sent to a person for one period ("week:2026-W49", "day:2026-12-03"): at most one per person and
    period, whoever runs `send_digests` and however often. A run claims its rows (bulk insert, ignoring the ones
    that exist) and then sends only the rows holding its own `claim`, in the same transaction as their emails,
    so a rerun or a second worker at the same moment sends nothing twice. `user` is the settings' user model,
    named by string (this module is imported by alliance.models)."""

    user = models.ForeignKey("alliance.User", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    claim = models.CharField(max_length=32)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="digest_once_per_period")]

    def __str__(self):
        return f"Digest {self.period}"
