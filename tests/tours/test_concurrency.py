"""Two people editing the same tour at once: the second save is refused and keeps their input.
And, on PostgreSQL, real races between two connections (bench/concurrency.py runs them through two
gunicorns)."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from tests.factories import make_tour
from tests.tours.test_workflow import terms_post
from tours import services
from tours.models import CheckIn, Signature


def test_interleaved_edits_second_save_is_refused_and_input_kept(cast):
    from django.test import Client

    tour = make_tour(cast.report, state="proposed")
    employee, manager = Client(), Client()
    employee.force_login(cast.report.user)
    manager.force_login(cast.manager.user)
    # Both open the edit form on revision 1.
    assert employee.get(reverse("tours:edit", args=[tour.pk])).context["form"].initial["base_revision"] == 1
    assert manager.get(reverse("tours:edit", args=[tour.pk])).context["form"].initial["base_revision"] == 1
    # The employee saves first: revision 2.
    first = employee.post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(tour.start_date, tour.end_date, title="Employee's title", base_revision=1),
    )
    assert first.status_code == 302
    # The manager saves the form they opened on revision 1: refused, nothing overwritten.
    second = manager.post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(tour.start_date, tour.end_date, title="Manager's title", base_revision=1),
    )
    assert second.status_code == 409  # Conflict, with the form and its message
    assert "While you were editing" in second.text and "saved revision 2" in second.text
    assert second.context["form"]["title"].value() == "Manager's title"  # their input is still in the form
    tour.refresh_from_db()
    assert tour.current_revision.number == 2 and tour.title == "Employee's title"
    assert tour.revisions.count() == 2


# Real concurrency on PostgreSQL: two connections, the second blocked on the first's row lock.


def race(first, second):
    """Run `first` in a transaction held open until `second` (another connection) waits for a lock,
    then commit it and let `second` go on. Returns what `second` returned or raised."""
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def hold():
        try:
            with transaction.atomic():
                first()
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def contend():
        try:
            outcome["result"] = second()
        except Exception as error:  # the test looks at it
            outcome["error"] = error
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    contender = threading.Thread(target=contend)
    contender.start()
    with connections["default"].cursor() as cursor:
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the second transaction never waited for the first one's lock")
    release.set()
    holder.join()
    contender.join()
    return outcome


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections racing: PostgreSQL's row locks (SQLite has one writer)"
)


def _revise(tour, user, base, title):
    return lambda: services.tour_revise(
        tour=tour,
        base_number=base,
        terms={**{f: getattr(tour.current_revision, f) for f in services.TERM_FIELDS}, "title": title},
        objectives=[{"side": "employee", "description": "Lead the migration", "measure": ""}],
        values=[],
        author=user,
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["revise", "sign"])
def test_waiting_for_a_revision_being_saved_sees_it_and_is_refused(second, cast):
    """The waiting edit or signature used to read the tour's new revision as missing (a 500): its locking
    query had joined the revisions as they were before the wait."""
    tour = make_tour(cast.report, state="proposed")
    if second == "revise":
        contender = _revise(tour, cast.manager.user, 1, "Manager's title")
    else:
        contender = lambda: services.tour_sign(tour=tour, user=cast.manager.user, revision_number=1)  # noqa: E731
    outcome = race(_revise(tour, cast.report.user, 1, "Employee's title"), contender)
    assert isinstance(outcome.get("error"), services.StaleRevision), outcome
    assert "revision 2" in str(outcome["error"])
    tour.refresh_from_db()
    assert tour.current_revision.number == 2 and tour.current_revision.title == "Employee's title"
    assert not Signature.objects.filter(revision__tour=tour).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_check_ins_of_one_side_at_once_one_is_refused(cast):
    """The second used to fail on the unique constraint (a 500); now it waits for the tour's lock and is told."""
    tour = make_tour(cast.report, state="agreed", start=datetime.date.today() - datetime.timedelta(days=100))
    due = tour.checkin_dates(until=datetime.date.today())[0]
    objective = tour.agreed_revision.objectives.first()

    def check_in():
        return services.tour_check_in(
            tour=tour,
            user=cast.report.user,
            due_on=due,
            other_side_keeping="yes",
            note="",
            progress=[(objective, "on_track", "")],
        )

    outcome = race(check_in, check_in)
    assert isinstance(outcome.get("error"), services.TourError), outcome
    assert "already checked in" in str(outcome["error"])
    assert CheckIn.objects.filter(tour=tour, side="employee").count() == 1
