"""Delivering domain events to HR's endpoints: a signed POST from the worker, retried with backoff.

When an action commits, alliance.events calls on_domain_event: one Message per enabled endpoint that asked for
that kind, each written together with its task (alliance.worker.enqueue_with_work). The worker's task signs the
body with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
HMAC-SHA256 of "id.timestamp.body">`), posts it to the checked address (webhooks.addresses), records the attempt,
and on failure tries again after WEBHOOKS_RETRY_SECONDS. After WEBHOOKS_DISABLE_AFTER failed attempts in a row
(across messages) the endpoint is disabled and HR is told (alliance.notifications); a 410 Gone disables it at once.
"""

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.tasks import TaskResultStatus, default_task_backend, task
from django.tasks.signals import task_finished
from django.utils import timezone

from alliance.notifications import notify_hr
from alliance.worker import enqueue_with_work
from webhooks import addresses
from webhooks.models import SECRET_PREFIX, Attempt, Endpoint, Message

logger = logging.getLogger(__name__)


@receiver(task_finished)
def forget_finished_delivery(sender, task_result, **kwargs):
    """Delete the worker's row of a finished delivery task (the Message and its attempts are the record); failed
    ones stay for the log's reader, as alliance.mail does for email."""
    row = getattr(task_result, "db_result", None)  # only the database backend keeps a row
    if row and task_result.status == TaskResultStatus.SUCCESSFUL and task_result.task.module_path == DELIVER_TASK:
        row.delete()


def on_domain_event(sender, *, kind, obj, payload, occurred_at, **kwargs):
    """A domain event committed: queue it for every enabled endpoint that asked for its kind."""
    endpoints = [e for e in Endpoint.objects.filter(enabled=True).only("pk", "events") if kind in e.events]
    if not endpoints:
        return
    body = json.dumps(
        {"type": kind, "timestamp": occurred_at.isoformat(), "data": payload}, separators=(",", ":"), sort_keys=True
    )
    with transaction.atomic():
        for endpoint in endpoints:
            message = Message.objects.create(
                endpoint=endpoint, webhook_id=f"msg_{secrets.token_urlsafe(18)}", kind=kind, body=body
            )
            enqueue_with_work(webhook_deliver, message_id=message.pk)


def signature(secret, webhook_id, timestamp, body):
    """Standard Webhooks' v1 signature of one request."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the host name resolves to a moment later."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same over TLS: the certificate is still checked against the host name (SNI)."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers):
    """POST `body` to `url` (an allowed address only, no redirect followed); returns the HTTP status."""
    scheme, host, port = addresses.target(url)
    address = addresses.resolve(host, port)[0]  # checked now, at delivery: DNS may have changed since the form
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    conn = connection_class(host, port, address=address, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body.encode(), headers=headers)
        response = conn.getresponse()
        response.read(4096)  # a receiver's answer is not kept; read a little so the connection closes cleanly
        return response.status
    finally:
        conn.close()


@task()
def webhook_deliver(*, message_id, attempt=1):
    """The task: one attempt at one message. Nothing is sent for a message already delivered or given up (a task
    run again after its worker died), or whose endpoint was deleted; a disabled endpoint's message is given up."""
    message = (
        Message.objects.select_related("endpoint").filter(pk=message_id, delivered_at=None, given_up_at=None).first()
    )
    if message is None:
        return
    endpoint = message.endpoint
    if not endpoint.enabled:
        Message.objects.filter(pk=message.pk).update(given_up_at=timezone.now())
        return
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Alliance-Webhooks/1",
        # Ours last, so nothing can replace the signature.
        "webhook-id": message.webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature(endpoint.secret, message.webhook_id, timestamp, message.body),
    }
    started = time.monotonic()
    status, error = None, ""
    try:
        status = post(endpoint.url, message.body, headers)
    except addresses.RefusedAddress as refused:
        error = str(refused)
    except (OSError, http.client.HTTPException) as failure:  # refused, timed out, TLS, a garbled answer
        error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    ok = status is not None and 200 <= status < 300
    with transaction.atomic():
        Attempt.objects.create(
            message=message,
            number=message.attempts.count() + 1,
            status_code=status,
            error=error[:300],
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        if ok:
            Message.objects.filter(pk=message.pk).update(delivered_at=timezone.now())
            Endpoint.objects.filter(pk=endpoint.pk).exclude(consecutive_failures=0).update(consecutive_failures=0)
            return
        still_enabled = _failed(endpoint, gone=status == 410, why=error or f"HTTP {status}")
    _retry_later(message, attempt=attempt, still_enabled=still_enabled)


def _failed(endpoint, *, gone, why):
    """Count a failed attempt against the endpoint (its row locked: two deliveries failing at once both count);
    disable it after WEBHOOKS_DISABLE_AFTER in a row, or at once on 410 Gone, and tell HR. Returns whether it
    is still enabled."""
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.consecutive_failures += 1
    if locked.enabled and (gone or locked.consecutive_failures >= settings.WEBHOOKS_DISABLE_AFTER):
        locked.enabled = False
        reason = "it answered 410 Gone" if gone else f"{locked.consecutive_failures} failed deliveries in a row"
        locked.disabled_reason = f"Disabled on {timezone.localdate():%d %b %Y}: {reason} (the last: {why})"[:300]
        notify_hr(
            message=f"The webhook endpoint {locked.url} was disabled: {reason}. Fix it, then enable it again.",
            url=locked.get_absolute_url(),
            email_subject="A webhook endpoint was disabled",
            now=True,  # what comes while it is disabled is never sent: HR must know today, not in a digest
        )
        logger.warning("Webhook endpoint %s disabled: %s", locked.pk, reason)
    locked.save(update_fields=["consecutive_failures", "enabled", "disabled_reason"])
    return locked.enabled


def _retry_later(message, *, attempt, still_enabled):
    """Queue the next attempt after the next delay of WEBHOOKS_RETRY_SECONDS; after the last, give it up."""
    delays = settings.WEBHOOKS_RETRY_SECONDS
    if not still_enabled or attempt > len(delays):
        Message.objects.filter(pk=message.pk).update(given_up_at=timezone.now())
        logger.warning("Webhook %s given up after attempt %s", message.webhook_id, attempt)
        return
    delay = delays[attempt - 1]
    if delay and default_task_backend.supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        webhook_deliver.using(run_after=run_after).enqueue(message_id=message.pk, attempt=attempt + 1)
    else:  # no wait asked for, or a backend that cannot wait (the tests' immediate one)
        webhook_deliver.enqueue(message_id=message.pk, attempt=attempt + 1)


DELIVER_TASK = webhook_deliver.module_path


def forget_old_messages(now):
    """Delete every endpoint's messages older than WEBHOOKS_LOG_DAYS, delivered, pending or given up, enabled or
    not (the worker's housekeeping, alliance.worker.tidy), with their attempts. The old messages are found on the
    created_at index (one query, which finds nothing at once when nothing is due); only their ids are read, then
    their attempts and they are deleted by id, a batch at a time (Django's cascade: a database-level one would
    need every foreign key from Attempt up to User to be one too). A message still being retried is about a day
    old at most, well inside the log's days (one deleted mid-retry is skipped: its task finds no message).
    Returns how many messages went."""
    cutoff = now - datetime.timedelta(days=settings.WEBHOOKS_LOG_DAYS)
    return Message.objects.filter(created_at__lt=cutoff).only("pk").delete()[1].get(Message._meta.label, 0)
