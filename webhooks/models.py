"""HR's webhook endpoints, each event queued for one of them (a message), and every attempt to deliver it.

A message is written when the event's action has committed (alliance.events) and delivered by the worker
(webhooks.delivery) with the Standard Webhooks headers. `delivered_at` is its delivered mark: a task run again
(its worker died, a retry raced a rerun) sends nothing once it is set, so a receiver gets each event once
(Standard Webhooks' `webhook-id` lets a receiver drop the rare duplicate of a kill between its 2xx and our mark).
"""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from alliance.events import KINDS

SECRET_PREFIX = "whsec_"  # noqa: S105 -- a prefix, not a secret


def new_secret():
    """24 random bytes, base64, with Standard Webhooks' prefix (a receiver's library strips it)."""

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class Endpoint(models.Model):
    """A URL of another system that HR asked to be told of some events. The secret signs every request; it is
    shown to HR once, when the endpoint is added (it must be kept here to sign, as with every HMAC scheme)."""

    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="The kinds of event sent (alliance.events.KINDS).")
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    enabled = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["url", "pk"]

    def __str__(self):
        return self.description or self.url

    def get_absolute_url(self):
        return reverse("webhooks:detail", args=[self.pk])

    def event_labels(self):
        return [KINDS[kind] for kind in self.events if kind in KINDS]


class Message(models.Model):
    """One event for one endpoint, from the commit of its action until it is delivered or given up. `body` is the
    exact JSON that is signed and sent (ids and plain values only: no names, no text a person wrote)."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="messages")
    webhook_id = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=40)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The endpoint page's delivery log, newest first.
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhookmessage_log_idx"),
            # The log's housekeeping: every endpoint's messages older than WEBHOOKS_LOG_DAYS (the index above leads
            # with the endpoint, so it cannot find them across endpoints).
            models.Index(fields=["created_at"], name="webhookmessage_created_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.endpoint_id} ({self.status})"

    @property
    def status(self):
        if self.delivered_at:
            return "delivered"
        return "given up" if self.given_up_at else "pending"


class Attempt(models.Model):
    """One try at delivering a message: the HTTP status the receiver answered, or why there was none."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Attempt {self.number} of {self.message_id}: {self.status_code or self.error}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
