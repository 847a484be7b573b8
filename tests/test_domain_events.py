"""Every domain event the webhooks offer is emitted by the service that does the thing, once it commits, with ids
and plain values only (alliance.events)."""

import datetime
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from alliance.events import KINDS, domain_event, emit
from alumni import departures as alumni_departures
from networks import services as network_services
from networks.models import Contribution
from tests.factories import make_tour
from tests.test_access_matrix import invitation
from tours import services as tour_services
from tours.models import Tour
from tours.reminders import send_tour_reminders

TODAY = datetime.date.today()


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    """The (kind, model, payload) of every event emitted inside `with events.committing():`."""
    seen = []

    def record(sender, *, kind, obj, payload, occurred_at, **kwargs):
        seen.append((kind, type(obj).__name__, payload))

    domain_event.connect(record, dispatch_uid="test-record")

    class Events(list):
        def committing(self):
            return django_capture_on_commit_callbacks(execute=True)

        def kinds(self):
            return [kind for kind, _, _ in seen]

        def last(self):
            return seen[-1]

        def all(self):
            return list(seen)

    yield Events()
    domain_event.disconnect(dispatch_uid="test-record")


def test_an_unknown_kind_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="Unknown domain event"):
        emit("tour.renamed", cast.hr)


def test_the_tour_events(cast, events):
    tour = make_tour(cast.report_report, start=TODAY - datetime.timedelta(days=200))
    with events.committing():
        tour_services.tour_propose(tour=tour, user=cast.report_report.user)
        tour_services.tour_sign(tour=tour, user=cast.report_report.user, revision_number=1)
        tour_services.tour_sign(tour=tour, user=cast.report.user, revision_number=1)
    tour.refresh_from_db()
    due = tour.checkin_due_on
    with events.committing():
        tour_services.tour_check_in(
            tour=tour, user=cast.report.user, due_on=due, other_side_keeping="yes", note="", progress=[]
        )
    with events.committing():
        send_tour_reminders(today=due + datetime.timedelta(days=20))  # the employee's side is overdue
        send_tour_reminders(today=due + datetime.timedelta(days=21))  # not twice
    with events.committing():
        tour_services.tour_end(
            tour=tour,
            ended_on=TODAY,
            outcome=Tour.Outcome.ENDED_EARLY,
            end_reason="Reorg",
            company_kept="",
            employee_kept="",
        )
    assert events.kinds() == [
        "tour.proposed",
        "tour.signed",
        "tour.signed",
        "checkin.recorded",
        "checkin.overdue",
        "tour.ended",
    ]
    assert events.last() == (
        "tour.ended",
        "Tour",
        {"id": tour.pk, "employee_id": cast.report_report.pk, "outcome": "ended_early", "ended_on": str(TODAY)},
    )


def test_an_end_brought_forward_is_announced_again_and_only_when_it_moves(cast, events):
    """A departure recorded ahead ended the tour on its date; brought forward, the tour ends earlier and tour.ended
    is sent again with the new date, in the same shape (a subscriber keeps the latest). Nothing moved, nothing sent."""
    tour = make_tour(cast.report_report, state="agreed", start=TODAY - datetime.timedelta(days=200))
    later = TODAY + datetime.timedelta(days=20)
    with events.committing():
        tour_services.tour_end(
            tour=tour, ended_on=later, outcome=Tour.Outcome.ENDED_EARLY, end_reason="Left", company_kept="",
            employee_kept="",
        )  # fmt: skip
        tour_services.tour_end_earlier(tour=tour, ended_on=TODAY)
    payload = {"id": tour.pk, "employee_id": cast.report_report.pk, "outcome": "ended_early"}
    assert events.all() == [
        ("tour.ended", "Tour", {**payload, "ended_on": str(later)}),
        ("tour.ended", "Tour", {**payload, "ended_on": str(TODAY)}),
    ]
    with events.committing():
        tour_services.tour_end_earlier(tour=tour, ended_on=TODAY)  # a repeat
        tour_services.tour_end_earlier(tour=tour, ended_on=later)  # never later
    assert len(events.all()) == 2
    tour.refresh_from_db()
    assert tour.ended_on == TODAY


def test_a_person_joins_departs_and_joins_the_alumni(cast, client_for, events):
    with events.committing():
        client_for("hr").post(
            reverse("people:create"),
            {
                "first_name": "Nina",
                "last_name": "Berg",
                "email": "nina@example.com",
                "employee_number": "N-1",
                "team": cast.other.team.pk,
                "hire_date": str(TODAY),
            },
        )
    assert events.last()[:2] == ("person.joined", "Employee")
    with events.committing():
        alumni_departures.offboard(
            employee=cast.other, by=cast.hr.user, departure_date=TODAY, reason="resigned", exit_notes="Private words",
            company_kept="", employee_kept="", invite=False,
        )  # fmt: skip
    assert events.last() == (
        "person.departed",
        "Employee",
        {"id": cast.other.pk, "departure_date": str(TODAY), "reason": "resigned"},
    )
    invited, token = invitation(cast)
    with events.committing():
        response = client_for("anonymous").post(
            reverse("alumni:accept", args=[token]),
            {"new_password1": "a-long-pass-phrase-9", "new_password2": "a-long-pass-phrase-9"},
        )
    assert response.status_code == 302
    assert events.last() == (
        "alumnus.joined",
        "AlumniProfile",
        {"id": invited.employee.alumni_profile.pk, "employee_id": invited.employee_id},
    )
    assert "Private words" not in str(list(events.kinds()))


def test_a_departure_recorded_ahead_is_announced_on_its_date(cast, events):
    with events.committing():
        alumni_departures.offboard(
            employee=cast.other, by=cast.hr.user, departure_date=TODAY + datetime.timedelta(days=3), reason="resigned",
            exit_notes="", company_kept="", employee_kept="", invite=False,
        )  # fmt: skip
    assert "person.departed" not in events.kinds()
    with events.committing():
        alumni_departures.departures_apply(today=TODAY + datetime.timedelta(days=3))
    assert events.kinds().count("person.departed") == 1


def test_an_insight_acted_on_once(cast, events):
    item = Contribution.objects.create(
        contributor=cast.report, kind="market", title="t", insight="i", visibility="managers"
    )
    with events.committing():
        network_services.contribution_rate(
            contribution=item, by=cast.manager.user, rating=4, acted_on=False, outcome=""
        )
        network_services.contribution_rate(
            contribution=item, by=cast.manager.user, rating=4, acted_on=True, outcome="Won"
        )
        network_services.contribution_rate(
            contribution=item, by=cast.manager.user, rating=5, acted_on=True, outcome="Won"
        )
    assert events.kinds() == ["insight.acted_on"]
    assert events.last() == (
        "insight.acted_on",
        "Contribution",
        {"id": item.pk, "contributor_id": cast.report.pk, "rating": 4},
    )


def test_nothing_is_announced_for_a_rolled_back_action(cast, events):
    tour = make_tour(cast.report_report)
    with events.committing(), pytest.raises(tour_services.TourError), transaction.atomic():
        tour_services.tour_propose(tour=tour, user=cast.report_report.user)
        raise tour_services.TourError("rolled back")
    assert events.kinds() == []


def test_every_kind_is_emitted_somewhere():
    root = Path(__file__).resolve().parent.parent
    sources = "".join(
        p.read_text() for app in ("alliance", "tours", "networks", "alumni") for p in (root / app).rglob("*.py")
    )
    assert [kind for kind in KINDS if f'emit("{kind}"' not in sources] == []
