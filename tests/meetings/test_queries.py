"""The workspace's query count does not grow with the agenda, the covered history or the check-ins behind it."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from tests.factories import EmployeeFactory, make_tour
from tours import services as tour_services


def tour_with_history(cast, checkins, points):
    """An agreed tour of a new report of the report, `checkins` check-ins done by both sides (each closing an
    agenda with `points` covered on it), then `points` open on the current agenda and `points` private notes'
    worth of other people's notes."""
    person = EmployeeFactory(manager=cast.report)
    tour = make_tour(person, state="agreed", start=datetime.date.today() - datetime.timedelta(days=800))
    authors = [person.user, cast.report.user]
    for _ in range(checkins):
        tour.refresh_from_db()
        for i in range(points):
            point = services.point_add(tour=tour, user=authors[i % 2], text=f"Covered {tour.checkin_due_on} {i}")
            services.point_cover(point=point, user=authors[i % 2], covered=True)
        progress = [(o, "on_track", f"note {o.pk}") for o in tour.agreed_revision.objectives.all()]
        for user in authors:
            tour_services.tour_check_in(
                tour=tour, user=user, due_on=tour.checkin_due_on, other_side_keeping="yes", note="", progress=progress
            )
    for i in range(points):
        services.point_add(tour=tour, user=authors[i % 2], text=f"Open {i}")
    services.note_save(tour=tour, user=cast.report.user, text="The manager's own note")
    return tour


def count(client, path):
    client.get(path)  # the first request after sign-in also stamps the session: not the page's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len([q for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]), response


def test_the_workspace_costs_the_same_for_a_short_and_a_long_history(cast, client_for):
    small = tour_with_history(cast, checkins=1, points=1)
    large = tour_with_history(cast, checkins=6, points=12)
    client = client_for("report")  # the manager party: the "We met" form and the private note are built too
    few, _ = count(client, reverse("meetings:workspace", args=[small.pk]))
    many, response = count(client, reverse("meetings:workspace", args=[large.pk]))
    assert len(response.context["points"]) == 12
    assert len(response.context["earlier"]) == 30  # bounded: the newest covered points
    # session, user with roles, the tour with its people and revisions, the objectives, the progress rows,
    # the talking points on the agenda, the covered ones, this agenda's check-ins, the private note
    assert few == many == 9
