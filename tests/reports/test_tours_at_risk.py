"""Tours at risk: exact figures on the page and in the CSV, scope per role, flat query count."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EmployeeFactory, make_tour
from tours import services

TODAY = datetime.date.today()
URL = reverse("tours:report_at_risk")


def ending(person, days, **kwargs):
    return make_tour(
        person,
        state="agreed",
        start=TODAY - datetime.timedelta(days=700),
        end=TODAY + datetime.timedelta(days=days),
        **kwargs,
    )


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_exact_figures_and_csv(cast, client_for):
    ending(cast.report, 0)  # ends today: still at risk
    ending(cast.report_report, 45)
    planned = ending(EmployeeFactory(manager=cast.report, team=cast.report.team), 60)
    successor = services.tour_plan_next(tour=planned, user=cast.report.user)  # drafted, not agreed
    ending(EmployeeFactory(manager=cast.report, team=cast.report.team), 200)  # outside 90 days
    ending(EmployeeFactory(manager=cast.other, team=cast.other.team), 30)
    hr = client_for("hr")
    page = hr.get(URL)
    rows = page.context["rows"]
    assert rows == [
        ("Engineering", "Mo Nagy", 1, 1),  # the report's tour ends today; its conversation is overdue too
        ("Engineering", "Rita Ortiz", 2, 1),  # the planned one has a draft successor: at risk, no overdue talk
        ("Sales", "Oskar Tamm", 1, 1),
    ]
    assert csv_rows(hr.get(URL, {"format": "csv"}))[1:] == [[str(c) for c in r] for r in rows]
    assert successor.state == "draft"
    # Agree the successor: that tour is no longer at risk.
    services.tour_propose(tour=successor, user=cast.report.user)
    services.tour_sign(tour=successor, user=successor.employee.user, revision_number=1)
    services.tour_sign(tour=successor, user=cast.report.user, revision_number=1)
    assert client_for("hr").get(URL).context["rows"][1] == ("Engineering", "Rita Ortiz", 1, 1)


def test_filters_team_days_and_type(cast, client_for):
    ending(cast.report, 10)
    ending(cast.report_report, 150)
    hr = client_for("hr")
    assert hr.get(URL, {"days": "200"}).context["rows"] == [
        ("Engineering", "Mo Nagy", 1, 1),
        ("Engineering", "Rita Ortiz", 1, 1),
    ]
    assert hr.get(URL, {"team": cast.other.team.pk}).context["rows"] == []
    assert hr.get(URL, {"type": "rotational"}).context["rows"] == []
    assert "Nothing to report" in hr.get(URL, {"team": cast.other.team.pk}).text


def test_a_manager_sees_only_their_subtree(cast, client_for):
    ending(cast.report_report, 10)
    ending(EmployeeFactory(manager=cast.other), 10)
    rows = client_for("report").get(URL).context["rows"]
    assert rows == [("Engineering", "Rita Ortiz", 1, 1)]
    assert client_for("report_report").get(URL).status_code == 403  # no reports
    assert client_for("alumnus").get(URL).status_code == 403


def test_query_count_is_flat(cast, client_for):
    def count():
        client = client_for("hr")
        with CaptureQueriesContext(connection) as captured:
            client.get(URL)
        return len(captured)

    ending(cast.report, 10)
    few = count()
    for _ in range(30):
        ending(EmployeeFactory(manager=cast.manager), 20)
    assert count() == few
