"""The delivery log keeps WEBHOOKS_LOG_DAYS, for every endpoint: the worker's housekeeping (alliance.worker.tidy)
deletes older messages and their attempts whether they were delivered, given up or are still pending, and whether
the endpoint is enabled or not (the log was once pruned only when a delivery to that endpoint succeeded, so an
endpoint that only failed kept its log for ever)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.worker import TIDY_STEPS, tidy
from webhooks.delivery import forget_old_messages
from webhooks.models import Attempt, Endpoint, Message

pytestmark = pytest.mark.django_db


def message(endpoint, webhook_id, *, days_ago, status=None, **fields):
    created = timezone.now() - datetime.timedelta(days=days_ago)
    m = Message.objects.create(endpoint=endpoint, webhook_id=webhook_id, kind="tour.ended", body="{}", **fields)
    Message.objects.filter(pk=m.pk).update(created_at=created)
    Attempt.objects.create(message=m, number=1, attempted_at=created, status_code=status, error="" if status else "x")
    return m


def test_the_apps_hand_their_steps_to_the_worker():
    assert {"signin.log", "webhooks.log"} <= set(TIDY_STEPS)


def test_a_failing_only_endpoints_old_log_goes_and_hr_no_longer_sees_it(cast, client_for):
    failing = Endpoint.objects.create(
        url="https://example.com/hook", events=["tour.ended"], enabled=False, consecutive_failures=15,
        disabled_reason="15 failed deliveries in a row",
    )  # fmt: skip
    given_up = message(failing, "msg_old_given_up", days_ago=31, status=500, given_up_at=timezone.now())
    message(failing, "msg_old_pending", days_ago=45)
    recent = message(failing, "msg_recent", days_ago=29, status=503, given_up_at=timezone.now())
    hr = client_for("hr")
    page = hr.get(failing.get_absolute_url()).text
    assert "msg_old_given_up" in page and "msg_old_pending" in page and "msg_recent" in page

    assert tidy() == []

    page = hr.get(failing.get_absolute_url()).text
    assert "msg_old_given_up" not in page and "msg_old_pending" not in page and "msg_recent" in page
    assert list(Message.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(Attempt.objects.values_list("message", flat=True)) == [recent.pk]
    assert not Attempt.objects.filter(message=given_up.pk).exists()


def test_every_endpoints_old_deliveries_go_and_recent_ones_stay(cast):
    working = Endpoint.objects.create(url="https://example.com/a", events=["tour.ended"])
    other = Endpoint.objects.create(url="https://example.com/b", events=["tour.ended"])
    message(working, "msg_a_old", days_ago=30, status=200, delivered_at=timezone.now())
    message(other, "msg_b_old", days_ago=400, status=204, delivered_at=timezone.now())
    kept = {message(e, f"msg_{e.pk}", days_ago=1, status=200, delivered_at=timezone.now()) for e in (working, other)}
    assert forget_old_messages(timezone.now()) == 2
    assert set(Message.objects.all()) == kept
    assert forget_old_messages(timezone.now()) == 0  # again: nothing more goes


def test_the_days_are_a_setting(cast, settings):
    endpoint = Endpoint.objects.create(url="https://example.com/a", events=["tour.ended"])
    message(endpoint, "msg_8", days_ago=8)
    message(endpoint, "msg_6", days_ago=6)
    settings.WEBHOOKS_LOG_DAYS = 7
    tidy()
    assert list(Message.objects.values_list("webhook_id", flat=True)) == ["msg_6"]


def test_nothing_due_costs_one_query_on_the_created_at_index():
    endpoint = Endpoint.objects.create(url="https://example.com/a", events=["tour.ended"])
    message(endpoint, "msg_new", days_ago=2)
    with CaptureQueriesContext(connection) as captured:
        assert forget_old_messages(timezone.now()) == 0
    assert len(captured) == 1 and "created_at" in captured[0]["sql"]
    assert "webhookmessage_created_idx" in {
        name for name, info in connection.introspection.get_constraints(connection.cursor(), "webhooks_message").items()
        if info["index"]
    }  # fmt: skip
