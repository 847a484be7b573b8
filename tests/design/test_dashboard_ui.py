"""Dashboards: one number per card, a bar, and the next action in words; empty states say what to do."""

import datetime
import re

from django.urls import reverse

from tests.factories import EmployeeFactory, make_tour

TODAY = datetime.date.today()


def test_manager_sees_how_many_tours_to_sign_first(cast, client_for):
    for name in ("Ana", "Ben"):
        make_tour(EmployeeFactory(manager=cast.manager, first_name=name), state="proposed")
    page = client_for("manager").get(reverse("dashboard")).text
    assert "2 tours to sign</a>" in page
    # Rita, Ana, Ben: none agreed (each figure a link to the people it counts)
    assert re.search(r'metric-value"><a class="figure-link" href="[^"]+">0</a><span class="metric-label"> / '
                     r'<a class="figure-link" href="[^"]+">3</a></span>', page)  # fmt: skip


def test_manager_is_told_whose_check_in_is_coming_and_when(cast, client_for):
    elena = EmployeeFactory(manager=cast.manager, first_name="Elena")
    tour = make_tour(elena, state="agreed", start=TODAY - datetime.timedelta(days=80))
    due = tour.checkin_dates(until=TODAY + datetime.timedelta(days=40))[0]
    days = (due - TODAY).days
    assert 1 < days <= 14
    page = client_for("manager").get(reverse("dashboard")).text
    assert f"Elena&#x27;s check-in is due in {days} days</a>" in page


def test_employee_sees_days_left_and_a_bar_of_the_term(cast, client_for):
    start, end = TODAY - datetime.timedelta(days=100), TODAY + datetime.timedelta(days=300)
    make_tour(cast.report, state="agreed", start=start, end=end)
    page = client_for("report").get(reverse("dashboard")).text
    assert '<span class="metric-value">300</span>' in page and "25% of the term served" in page
    assert '<span class="w-pct-25"></span>' in page


def test_employee_without_a_tour_is_told_what_to_do_first(cast, client_for):
    page = client_for("report_report").get(reverse("dashboard")).text
    assert "No tour in force yet." in page and "Draft one with your manager</a>" in page


def test_hr_sees_coverage_as_the_number_and_at_risk_as_the_next_action(cast, client_for):
    start, end = TODAY - datetime.timedelta(days=700), TODAY + datetime.timedelta(days=30)
    make_tour(cast.report, state="agreed", start=start, end=end)
    page = client_for("hr").get(reverse("dashboard")).text
    assert '<span class="metric-value">20%</span>' in page and '<span class="w-pct-20"></span>' in page
    assert "1 tour at risk</a>" in page
    assert 'data-state="at_risk"' in page


def test_the_at_risk_chart_takes_the_at_risk_colour_and_legend(cast, client_for):
    start, end = TODAY - datetime.timedelta(days=700), TODAY + datetime.timedelta(days=30)
    make_tour(cast.report, state="agreed", start=start, end=end)
    page = client_for("hr").get(reverse("tours:report_at_risk")).text
    assert '<p class="legend"><span class="state state-danger" data-state="at_risk">' in page
    assert 'class="bar fill-danger"' in page
