"""The sign-in log keeps SIGNIN_LOG_DAYS: the worker's housekeeping (alliance.worker.tidy) deletes older rows, with
their addresses, in one DELETE; HR's log page no longer shows them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.worker import tidy
from signin.events import forget_old
from signin.models import SignInEvent

pytestmark = pytest.mark.django_db


def event(email, *, days_ago, **fields):
    row = SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, email=email, ip="203.0.113.7", **fields)
    SignInEvent.objects.filter(pk=row.pk).update(at=timezone.now() - datetime.timedelta(days=days_ago))
    return row


def test_rows_older_than_the_days_go_and_hr_no_longer_sees_them(cast, client_for):
    event("old@test.example", days_ago=181)
    event("older@test.example", days_ago=900, user=cast.report.user)
    recent = event("recent@test.example", days_ago=179)
    hr = client_for("hr")
    page = hr.get("/audit/sign-ins/?kind=failed").text
    assert "old@test.example" in page and "older@test.example" in page and "recent@test.example" in page

    assert tidy() == []

    page = hr.get("/audit/sign-ins/?kind=failed").text
    assert "old@test.example" not in page and "older@test.example" not in page and "recent@test.example" in page
    assert list(SignInEvent.objects.filter(kind=SignInEvent.Kind.FAILED)) == [recent]  # (and HR's own sign-in)


def test_one_delete_and_again_nothing(cast):
    event("old@test.example", days_ago=200)
    event("recent@test.example", days_ago=1)
    with CaptureQueriesContext(connection) as captured:
        assert forget_old(timezone.now()) == 1
    assert [q["sql"].split()[0] for q in captured] == ["DELETE"]
    with CaptureQueriesContext(connection) as captured:
        assert forget_old(timezone.now()) == 0  # idempotent, and one indexed statement when nothing is due
    assert len(captured) == 1
    assert SignInEvent.objects.count() == 1


def test_the_days_are_a_setting(cast, settings):
    event("eleven@test.example", days_ago=11)
    event("nine@test.example", days_ago=9)
    settings.SIGNIN_LOG_DAYS = 10
    tidy()
    assert list(SignInEvent.objects.values_list("email", flat=True)) == ["nine@test.example"]


def test_the_at_column_is_indexed():
    indexes = connection.introspection.get_constraints(connection.cursor(), SignInEvent._meta.db_table).values()
    assert any(info["index"] and info["columns"] == ["at"] for info in indexes)
