"""In a real browser: the manager opens the tours-at-risk report, filters by team, downloads the CSV."""

import datetime
from pathlib import Path

import pytest

from tests.conftest import sign_in
from tests.factories import PASSWORD, EmployeeFactory, TeamFactory, make_tour
from tours import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_filters_tours_at_risk_and_downloads_the_csv(page, cast):
    today = datetime.date.today()
    make_tour(cast.report, state="agreed", start=today - datetime.timedelta(days=700),
              end=today + datetime.timedelta(days=20))  # fmt: skip
    design = TeamFactory(name="Design")
    make_tour(EmployeeFactory(manager=cast.manager, team=design), state="agreed",
              start=today - datetime.timedelta(days=700), end=today + datetime.timedelta(days=40))  # fmt: skip
    for _ in range(3):  # Engineering below the manager: five people, enough for a filter to show figures
        EmployeeFactory(manager=cast.manager, team=cast.report.team)
    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Tours at risk", exact=True).click()
    page.get_by_role("heading", name="Tours at risk").wait_for()
    assert page.get_by_role("cell", name="Design").is_visible()
    # One person in Design: figures about so few would be about them, so a manager is shown none.
    page.get_by_label("Team", exact=True).select_option(label="Design")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("These filters pick fewer than 5 people").wait_for()
    assert page.get_by_role("cell", name="Design").count() == 0
    page.get_by_label("Team", exact=True).select_option(label="Engineering")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**team=*")
    assert page.get_by_role("cell", name="Engineering").is_visible()
    assert page.get_by_role("cell", name="Design").count() == 0
    assert page.locator("svg.chart rect").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.splitlines()[0].startswith('Team,Manager,"Ending within 90 days')
    assert "Engineering,Mo Nagy,1,1" in content and "Design" not in content


def test_manager_finds_every_report_and_sees_a_half_answered_check_in_as_overdue(page, cast):
    today = datetime.date.today()
    tour = make_tour(cast.report, state="agreed", start=today - datetime.timedelta(days=130))
    services.tour_check_in(tour=tour, user=cast.report.user, due_on=tour.checkin_dates(until=today)[0],
                           other_side_keeping="yes", note="", progress=[])  # fmt: skip
    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    for title in ("Tours at risk", "Check-ins", "Coverage and mix", "Outcomes", "Network intelligence", "Alumni"):
        assert page.get_by_role("main").get_by_role("link", name=title, exact=True).is_visible(), title
    page.get_by_role("main").get_by_role("link", name="Check-ins", exact=True).click()
    page.get_by_role("heading", name="Check-ins").wait_for()
    assert page.get_by_role("row", name="Mo Nagy 1 0 0% 0 1").is_visible()
