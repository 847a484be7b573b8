"""The demo company's webhook endpoint: HR's "HRIS sync", with a delivery log that shows a retry and a delivery.
Disabled (example.com receives nothing), so `make run`'s worker sends nothing out; point it at a receiver of your
own and enable it. Made once (seed_demo runs again without duplicating it)."""

import datetime
import json

from django.utils import timezone

from alliance.models import User
from tours.models import Tour
from webhooks.models import Attempt, Endpoint, Message

DEMO_URL = "https://hooks.example.com/alliance"


def seed_demo():
    endpoint, created = Endpoint.objects.get_or_create(
        url=DEMO_URL,
        defaults={
            "description": "HRIS sync (demo)",
            "events": ["tour.signed", "tour.ended", "person.joined", "person.departed", "checkin.overdue"],
            "created_by": User.objects.filter(email="hr@example.com").first(),
            "enabled": False,
            "disabled_reason": "A demo endpoint: example.com receives nothing. Point it at your own receiver, then "
            "enable it.",
        },
    )
    if not created:
        return
    now = timezone.now()
    tour = Tour.objects.filter(state=Tour.State.AGREED).order_by("pk").first()
    if tour is None:
        return
    log = [
        ("tour.signed", {"id": tour.pk, "role": "manager", "revision": 1, "agreed": True}, [503, 200], "delivered"),
        ("tour.ended", {"id": tour.pk, "employee_id": tour.employee_id, "outcome": "successor"}, [200], "delivered"),
        ("person.joined", {"id": tour.employee_id, "hire_date": str(tour.start_date)}, [None, 500, 500], "given up"),
    ]
    for n, (kind, data, statuses, outcome) in enumerate(log):
        at = now - datetime.timedelta(hours=6 - n)
        body = json.dumps({"type": kind, "timestamp": at.isoformat(), "data": data}, separators=(",", ":"))
        message = Message.objects.create(
            endpoint=endpoint,
            webhook_id=f"msg_demo{n}",
            kind=kind,
            body=body,
            created_at=at,
            delivered_at=at + datetime.timedelta(minutes=5) if outcome == "delivered" else None,
            given_up_at=at + datetime.timedelta(minutes=40) if outcome == "given up" else None,
        )
        Attempt.objects.bulk_create(
            Attempt(
                message=message,
                number=i + 1,
                attempted_at=at + datetime.timedelta(minutes=5 * i),
                status_code=status,
                error="" if status else "TimeoutError: timed out",
                duration_ms=5000 if status is None else 120,
            )
            for i, status in enumerate(statuses)
        )
