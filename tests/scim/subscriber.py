"""HR's endpoint subscribed to tour.ended, on the receiver fixture (tests/scim/conftest.py), and what was queued
for it: a deactivation that moves a tour's end tells HR's other systems the new date."""

import json

from webhooks.models import Endpoint, Message


def tour_ended_endpoint(receiver, cast):
    endpoint = Endpoint.objects.create(url=receiver.url(), events=["tour.ended"], created_by=cast.hr.user)
    receiver.secret = endpoint.secret
    return endpoint


def tour_ended_sent(endpoint):
    """(kind, body's type, the tour, its outcome, its end) of every message queued for `endpoint`, oldest first."""
    bodies = [(m.kind, json.loads(m.body)) for m in Message.objects.filter(endpoint=endpoint).order_by("pk")]
    return [(kind, b["type"], b["data"]["id"], b["data"]["outcome"], b["data"]["ended_on"]) for kind, b in bodies]
