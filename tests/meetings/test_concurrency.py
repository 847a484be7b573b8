"""Two "We met" clicks at once, on PostgreSQL (two connections, the second waiting on the first's row lock;
SQLite has a single writer, so there the lock cannot be raced: tests/meetings/test_workspace.py covers the second
click and the stale tab). bench/concurrency.py and `make concurrency` race the services the same way."""

import datetime

import pytest

from meetings import services
from meetings.models import TalkingPoint
from tests.factories import make_tour
from tests.tours.test_concurrency import postgresql_only, race
from tours.models import CheckIn


def _we_met(tour, user, due_on):
    progress = [(o, "on_track", "") for o in tour.agreed_revision.objectives.all()]
    return lambda: services.meeting_record(
        tour=tour, user=user, due_on=due_on, met_on=datetime.date.today(), other_side_keeping="yes", note="",
        progress=progress,
    )  # fmt: skip


@pytest.fixture
def tour(cast):
    return make_tour(cast.report, state="agreed", start=datetime.date.today() - datetime.timedelta(days=100))


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_both_sides_at_once_record_one_check_in_and_close_the_agenda_once(cast, tour):
    due = tour.checkin_due_on
    services.point_add(tour=tour, user=cast.report.user, text="Still open")
    outcome = race(_we_met(tour, cast.report.user, due), _we_met(tour, cast.manager.user, due))
    assert "error" not in outcome, outcome
    assert sorted(CheckIn.objects.filter(tour=tour).values_list("due_on", "side")) == [
        (due, "employee"),
        (due, "manager"),
    ]
    tour.refresh_from_db()
    assert tour.checkin_due_on == tour.next_checkin_due([(due, "employee"), (due, "manager")])  # one step on
    assert TalkingPoint.objects.filter(tour=tour, covered_for__isnull=True).count() == 1  # carried over once


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_one_side_clicking_twice_at_once_records_once(cast, tour):
    due = tour.checkin_due_on
    outcome = race(_we_met(tour, cast.report.user, due), _we_met(tour, cast.report.user, due))
    assert isinstance(outcome.get("error"), services.TourError), outcome
    assert "already checked in" in str(outcome["error"])
    assert CheckIn.objects.filter(tour=tour).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_click_waiting_on_the_closing_check_in_is_refused(cast, tour):
    """The employee had recorded; the manager's click and a second employee tab race: whichever waits sees the
    agenda closed (or its own side recorded) and records nothing for the next period."""
    due = tour.checkin_due_on
    _we_met(tour, cast.report.user, due)()
    outcome = race(_we_met(tour, cast.manager.user, due), _we_met(tour, cast.report.user, due))
    assert isinstance(outcome.get("error"), services.TourError), outcome
    assert CheckIn.objects.filter(tour=tour).count() == 2
    assert not CheckIn.objects.filter(tour=tour).exclude(due_on=due).exists()
