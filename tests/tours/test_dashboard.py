import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EmployeeFactory, make_tour

TODAY = datetime.date.today()


def test_employee_sees_their_tour_and_what_is_due(cast, client_for):
    tour = make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=95))
    page = client_for("report").get(reverse("dashboard")).text
    assert tour.title in page and "check-in due" in page


def test_manager_sees_overdue_checkins_signatures_and_people_without_a_tour(cast, client_for):
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=200))  # check-ins overdue
    waiting = EmployeeFactory(manager=cast.manager, first_name="Wanda")
    make_tour(waiting, state="proposed", title="Waiting for signature")
    EmployeeFactory(manager=cast.manager, first_name="Nobody", last_name="Yet")
    page = client_for("manager").get(reverse("dashboard")).text
    assert "check-in overdue" in page
    assert "Waiting for signature</a> — to sign" in page
    assert "Nobody Yet</a> — no agreed tour" in page


def test_manager_dashboard_queries_do_not_grow_with_the_team(cast, client_for):
    def queries():
        client = client_for("manager")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(captured)

    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=200))
    queries()  # the first request creates the fund policy row
    few = queries()
    for _ in range(30):
        make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=TODAY - datetime.timedelta(days=200))
    assert queries() == few
