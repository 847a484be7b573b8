"""alumni.departures.departure_bring_forward, the service itself: what it refuses, in words for the person who
asked; a repeat that changes nothing; and the tours around a departure brought forward. (Through SCIM, as the
identity providers send it: tests/scim/test_departure_ahead.py.)"""

import datetime

import pytest
from django.utils import timezone

from alliance.models import Employee
from alumni import departures, services
from alumni.models import Departure
from tests.factories import make_tour
from tours.models import Tour
from tours.schedule import add_months

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PLANNED = TODAY + datetime.timedelta(weeks=3)


def record_departure(employee, hr, day=PLANNED):
    return departures.offboard(
        employee=employee,
        by=hr.user,
        departure_date=day,
        reason=Departure.Reason.RESIGNED,
        exit_notes="",
        company_kept="",
        employee_kept="",
        invite=False,
    )


def test_no_departure_ahead_is_refused_and_nothing_changes(cast):
    with pytest.raises(services.AlumniError) as refused:
        departures.departure_bring_forward(employee=cast.other, by=cast.hr.user)
    assert str(refused.value) == "Oskar Tamm has no departure ahead to bring forward."
    cast.other.refresh_from_db()
    assert cast.other.departure_date is None and not Departure.objects.filter(employee=cast.other).exists()


def test_someone_who_has_left_is_refused(cast):
    with pytest.raises(services.AlumniError) as refused:
        departures.departure_bring_forward(employee=cast.alumnus, by=cast.hr.user)
    assert str(refused.value) == f"Alma Udo left on {cast.alumnus.departure_date:%d %b %Y}."


def test_a_rehire_recorded_is_refused(cast):
    start = TODAY + datetime.timedelta(days=10)
    services.rehire(
        profile=cast.alumnus.alumni_profile, by=cast.hr.user, rehired_on=start, manager=cast.manager, job_title=""
    )
    with pytest.raises(services.AlumniError) as refused:
        departures.departure_bring_forward(employee=cast.alumnus, by=cast.hr.user)
    assert str(refused.value) == (
        f"Alma Udo is rehired, starting on {start:%d %b %Y}: there is no departure ahead to bring forward."
    )
    cast.alumnus.refresh_from_db()
    assert cast.alumnus.returns_on == start


def test_a_starter_is_refused_their_hire_is_withdrawn_instead(cast):
    start = TODAY + datetime.timedelta(days=7)
    Employee.objects.filter(pk=cast.other.pk).update(hire_date=start)
    record_departure(cast.other, cast.hr, day=start + datetime.timedelta(days=180))  # a fixed term
    with pytest.raises(services.AlumniError) as refused:
        departures.departure_bring_forward(employee=cast.other, by=cast.hr.user)
    assert str(refused.value) == (
        f"Oskar Tamm starts on {start:%d %b %Y}: a departure cannot come before the start; withdraw the hire instead."
    )


def test_a_repeat_changes_nothing(cast):
    rita = cast.report
    record_departure(rita, cast.hr)
    first = departures.departure_bring_forward(employee=rita, by=cast.hr.user)
    rita.refresh_from_db()
    history = (rita.history.count(), first.history.count())
    again = departures.departure_bring_forward(employee=rita, by=cast.hr.user)
    rita.refresh_from_db()
    assert again.pk == first.pk and again.access_removed_at == first.access_removed_at
    assert rita.departure_date == again.departure_date == TODAY
    assert (rita.history.count(), again.history.count()) == history
    # Named on the audit trail: who brought it forward.
    assert rita.history.order_by("-history_id").first().history_user == cast.hr.user


def test_the_tours_around_it_end_today_or_on_their_start(cast):
    """Her tour runs out in nine days, before the recorded departure: offboard left it running, as it would have
    ended by then. Her next tour starts in ten days: offboard ended it on the departure date. Brought forward,
    the first ends today, as offboard ends a current tour; the next one ends on its start."""
    rita = cast.report
    start = add_months(TODAY + datetime.timedelta(days=10), -24)
    current = make_tour(rita, state="agreed", start=start, years=2)  # ends the day before its second anniversary
    assert TODAY < current.end_date < PLANNED
    following = make_tour(rita, state="agreed", start=TODAY + datetime.timedelta(days=10), title="Next tour")
    record_departure(rita, cast.hr)
    current.refresh_from_db()
    following.refresh_from_db()
    assert current.state == Tour.State.AGREED and following.ended_on == PLANNED

    departures.departure_bring_forward(employee=rita, by=cast.hr.user)
    current.refresh_from_db()
    following.refresh_from_db()
    assert (current.state, current.ended_on, current.end_reason) == (
        Tour.State.ENDED_EARLY,
        TODAY,
        "Left: resigned mid-tour.",
    )
    assert following.state == Tour.State.ENDED_EARLY and following.ended_on == following.start_date
