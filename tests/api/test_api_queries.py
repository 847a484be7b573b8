"""Every list endpoint answers in a fixed number of queries, however many rows it lists: measured at 30 and
at 60 rows of the resource (an N+1 would add at least 30), and held to a budget. A token request's own cost
is 3 of them: the token with its user, the use recorded, its last-use time (plus the transaction's savepoints,
which are not counted); the roles another 2 to 4 (the HR permission from the user's and their groups' permissions,
their person, and "manages anyone" for a manager); then the page itself: 1 query and 1 per prefetched relation
(a tour's objectives, an insight's tags, a check-in's progress)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alumni.models import AlumniProfile
from networks.models import Contribution, Tag
from tests.factories import EmployeeFactory, make_tour
from tours import services
from tours.timeline import open_due_dates

pytestmark = pytest.mark.django_db


def grow_people(cast, n):
    for _ in range(n):
        EmployeeFactory(manager=cast.report_report, team=cast.report.team)


def grow_tours(cast, n):
    start = timezone.localdate() - datetime.timedelta(days=100)
    for _ in range(n):
        person = EmployeeFactory(manager=cast.report_report, team=cast.report.team)
        tour = make_tour(person, state="agreed", start=start)
        services.tour_check_in(
            tour=tour,
            user=person.user,
            due_on=open_due_dates(tour, "employee")[0],
            other_side_keeping="yes",
            note="",
            progress=[(o, "on_track", "") for o in tour.agreed_revision.objectives.all()],
        )


def grow_insights(cast, n):
    tag, _ = Tag.objects.get_or_create(name="pricing")
    for i in range(n):
        person = EmployeeFactory(manager=cast.report_report)
        item = Contribution.objects.create(contributor=person, kind="market", title=f"Insight {i}", insight="x")
        item.tags.add(tag)


def grow_alumni(cast, n):
    for _ in range(n):
        person = EmployeeFactory(departure_date=timezone.localdate() - datetime.timedelta(days=5))
        AlumniProfile.objects.create(employee=person, joined_at=timezone.now(), listed=True)


# (name, url, who, how to add rows, budget)
LISTS = [
    ("people", "/api/v1/people/", "hr", grow_people, 7),
    ("people of a manager", "/api/v1/people/", "manager", grow_people, 8),
    ("tours", "/api/v1/tours/", "hr", grow_tours, 7),
    ("tours of a manager", "/api/v1/tours/", "manager", grow_tours, 7),
    ("check-ins", "/api/v1/checkins/", "manager", grow_tours, 8),
    ("insights", "/api/v1/insights/", "hr", grow_insights, 8),
    ("insights of a manager", "/api/v1/insights/", "manager", grow_insights, 9),
    ("alumni roster", "/api/v1/alumni/", "hr", grow_alumni, 7),
    ("alumni directory", "/api/v1/alumni/", "other", grow_alumni, 7),
    ("reports", "/api/v1/reports/", "manager", grow_people, 7),
    ("check-ins report", "/api/v1/reports/tours-checkins/", "hr", grow_tours, 8),
]


def queries(api, url, who):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, as_=who, data={"page_size": 100})
    assert response.status_code == 200, response.content[:300]
    found = [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return found


@pytest.mark.parametrize(("name", "url", "who", "grow", "budget"), LISTS, ids=[row[0] for row in LISTS])
def test_a_list_costs_the_same_at_30_and_60_rows(api, cast, name, url, who, grow, budget):
    api.token(who)  # made before counting
    grow(cast, 30)
    at_30 = queries(api, url, who)
    grow(cast, 30)
    at_60 = queries(api, url, who)
    assert len(at_30) == len(at_60), "\n".join(q[:160] for q in at_60)
    assert len(at_60) <= budget, "\n".join(q[:160] for q in at_60)


DETAILS = [
    ("person", lambda c, w: f"/api/v1/people/{c.report_report.pk}/", "manager", 8),
    ("tour", lambda c, w: f"/api/v1/tours/{w['tour'].pk}/", "manager", 11),
    ("check-in", lambda c, w: f"/api/v1/checkins/{w['checkin'].pk}/", "manager", 8),
    ("insight", lambda c, w: f"/api/v1/insights/{w['insight'].pk}/", "manager", 9),
    ("alumnus", lambda c, w: f"/api/v1/alumni/{w['listed'].pk}/", "other", 7),
    ("my alumni profile", lambda c, w: "/api/v1/alumni/me/", "alumnus", 8),
]


@pytest.mark.parametrize(("name", "url", "who", "budget"), DETAILS, ids=[row[0] for row in DETAILS])
def test_one_object_stays_within_its_budget(api, cast, world, name, url, who, budget):
    """A tour's terms come in one query per relation (revision, objectives, values, signatures with signers),
    however many objectives or signatures it has."""
    api.token(who)
    assert len(queries(api, url(cast, world), who)) <= budget
