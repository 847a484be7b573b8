"""Query counts with 50+ tours: an N+1 on the list or the detail page would show here."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EmployeeFactory, make_tour
from tours import services


def many_tours(cast, count=55):
    """`count` agreed tours with check-ins, comments and an amendment, across as many people."""
    start = datetime.date.today() - datetime.timedelta(days=400)
    tours = []
    for _ in range(count):
        person = EmployeeFactory(manager=cast.manager)
        tours.append(make_tour(person, state="agreed", start=start))
    return tours


def test_tour_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    many_tours(cast)
    client = client_for("manager")
    # session, user with roles (PeopleBackend), count (capped), one page of tours with employee/team/
    # manager joined, team choices for the filter, and the first request's session stamp
    # (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get(reverse("tours:index"))
    assert response.context["page"].paginator.count == 55
    assert len(response.context["page"].object_list) == 25


def add_history(tour, manager_user, revisions, comments, checkins):
    """Amendments (left pending), comments and check-ins by both sides."""
    for n in range(2, revisions + 1):
        terms = {
            "title": f"Rev {n}",
            "mission": "m",
            "company_gets": "c",
            "employee_gets": "e",
            "start_date": tour.start_date,
            "end_date": tour.end_date,
            "checkin_months": 3,
        }
        objectives = [{"side": "employee", "description": f"o{n}", "measure": ""}]
        services.tour_revise(
            tour=tour, base_number=n - 1, terms=terms, objectives=objectives, values=[], author=manager_user
        )
    for i in range(comments):
        services.tour_comment(tour=tour, user=manager_user, body=f"comment {i}")
    progress = [(o, "on_track", "") for o in tour.agreed_revision.objectives.all()]
    for due in tour.checkin_dates(until=datetime.date.today())[:checkins]:
        for user in (tour.employee.user, manager_user):
            services.tour_check_in(
                tour=tour, user=user, due_on=due, other_side_keeping="yes", note="", progress=progress
            )


def test_tour_detail_query_count_does_not_grow_with_history(cast, client_for):
    def detail_queries(tour):
        client = client_for("report")
        client.get(tour.get_absolute_url())  # the first request after sign-in also stamps the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(tour.get_absolute_url()).status_code == 200
        return len(captured)

    start = datetime.date.today() - datetime.timedelta(days=800)
    small = make_tour(cast.report_report, state="agreed", start=start)
    add_history(small, cast.report.user, revisions=2, comments=1, checkins=1)
    big = make_tour(EmployeeFactory(manager=cast.report), state="agreed", start=start)
    add_history(big, cast.report.user, revisions=8, comments=30, checkins=6)
    queries = detail_queries(small)
    assert detail_queries(big) == queries
    assert queries <= 12, queries
