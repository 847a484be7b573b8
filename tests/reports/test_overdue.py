"""One definition of an overdue check-in (Tour.checkin_due_on plus the grace days), the same on
every page, report, CSV and reminder."""

import datetime

from django.urls import reverse

from alliance.models import Notification
from tests.factories import make_tour
from tours import services
from tours.models import Tour
from tours.reminders import send_tour_reminders

TODAY = datetime.date.today()


def _one_side_checked_in(cast):
    """An agreed tour whose first check-in fell due over a month ago; only the employee checked in."""
    tour = make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=130))
    due = tour.checkin_dates(until=TODAY)[0]
    services.tour_check_in(tour=tour, user=cast.report.user, due_on=due, other_side_keeping="yes", note="", progress=[])
    tour.refresh_from_db()
    return tour, due


def test_one_side_checked_in_is_overdue_everywhere(cast, client_for):
    tour, due = _one_side_checked_in(cast)
    assert tour.checkin_due_on == due  # the period is not done until both sides checked in

    manager_dashboard = client_for("manager").get(reverse("dashboard")).text
    assert f"check-in overdue ({due:%d %b})" in manager_dashboard
    tour_page = client_for("manager").get(tour.get_absolute_url())
    assert tour_page.context["checkin_overdue"] is True
    assert "Check-in overdue since" in tour_page.text

    hr = client_for("hr").get(reverse("dashboard")).context["hr"]
    assert hr["overdue_checkins"] == 1
    report = client_for("hr").get(reverse("tours:report_checkins"))
    assert report.context["rows"] == [("Mo Nagy", 1, 0, "0%", 0, 1)]
    csv = client_for("hr").get(reverse("tours:report_checkins"), {"format": "csv"})
    assert b"".join(csv.streaming_content).decode().splitlines()[1] == "Mo Nagy,1,0,0%,0,1"

    assert send_tour_reminders(TODAY) == 1
    reminder = Notification.objects.get(message__contains="check-in")
    assert reminder.user == cast.manager.user and "is overdue" in reminder.message


def test_both_sides_checked_in_moves_the_due_date_on(cast, client_for):
    tour, due = _one_side_checked_in(cast)
    services.tour_check_in(
        tour=tour, user=cast.manager.user, due_on=due, other_side_keeping="yes", note="", progress=[]
    )
    tour.refresh_from_db()
    assert tour.checkin_due_on == tour.checkin_dates(until=TODAY + datetime.timedelta(days=200))[1]
    assert client_for("hr").get(reverse("dashboard")).context["hr"]["overdue_checkins"] == 0
    assert client_for("hr").get(reverse("tours:report_checkins")).context["rows"] == [("Mo Nagy", 1, 1, "100%", 0, 0)]
    assert "Check-in overdue since" not in client_for("manager").get(tour.get_absolute_url()).text
    assert send_tour_reminders(TODAY) == 0


def test_agreeing_sets_the_first_due_date_and_ending_clears_it(cast):
    tour = make_tour(cast.report, state="agreed", start=TODAY)
    assert tour.checkin_due_on == tour.checkin_dates(until=TODAY + datetime.timedelta(days=100))[0]
    assert make_tour(cast.report_report, state="proposed").checkin_due_on is None
    services.tour_end(
        tour=tour, ended_on=TODAY, outcome=Tour.Outcome.PLANNED_DEPARTURE, end_reason="", company_kept="yes",
        employee_kept="yes",
    )  # fmt: skip
    tour.refresh_from_db()
    assert tour.checkin_due_on is None
