"""Domain events: what happened in the company, announced once the transaction that did it commits.

The services call `emit(kind, obj, payload)` (one line each, after the write); nothing is sent for a write that
rolls back. Apps higher up subscribe to `domain_event` (webhooks delivers them to HR's endpoints) without the core
knowing about them. A receiver runs after the commit, outside the action's transaction, so a receiver that fails
is logged and never undoes or fails the action (Signal.send_robust).
"""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

logger = logging.getLogger(__name__)

# kind -> the label HR picks it by. The kinds are part of the webhooks' contract: never rename one.
KINDS = {
    "tour.proposed": "Tour proposed",
    "tour.signed": "Tour signed (each signature; `agreed` says whether it made the tour agreed)",
    "tour.ended": "Tour ended",
    "checkin.recorded": "Check-in recorded",
    "checkin.overdue": "Check-in overdue",
    "person.joined": "Person joined",
    "person.departed": "Person departed",
    "alumnus.joined": "Alumnus joined",
    "insight.acted_on": "Insight acted on",
}

# Receivers get kind (str), obj (the model instance), payload (a dict of ids and plain values: thin, so
# receivers fetch what they need through the pages or the API) and occurred_at (when it was emitted).
domain_event = Signal()


def emit(kind, obj, payload=None):
    """Announce `kind` about `obj` once the surrounding transaction commits (at once outside one)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown domain event {kind!r}")
    data = {"id": obj.pk, **(payload or {})}
    transaction.on_commit(partial(_send, kind, obj, data, timezone.now()))


def _send(kind, obj, payload, occurred_at):
    for receiver, result in domain_event.send_robust(
        sender=type(obj), kind=kind, obj=obj, payload=payload, occurred_at=occurred_at
    ):
        if isinstance(result, Exception):
            logger.error("Receiver %s of %s failed: %r", receiver, kind, result, exc_info=result)
