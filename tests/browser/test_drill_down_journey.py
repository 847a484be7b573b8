"""In a real browser (issue 23): a figure on a report or the dashboard opens the list of exactly what it counts,
and that list exports as CSV; what the list shows is checked against the database."""

import csv
import datetime
import io
from pathlib import Path

import pytest

from networks.models import Contribution
from tests.conftest import sign_in
from tests.factories import PASSWORD, EmployeeFactory, make_tour
from tours.models import Tour
from tours.reports import checkin_conditions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date.today()


def test_hr_follows_an_overdue_figure_to_the_tours_and_an_acted_on_figure_to_the_insights_csv(page, cast):
    long_ago = TODAY - datetime.timedelta(days=300)
    overdue = [make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=long_ago) for _ in range(3)]
    make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=TODAY - datetime.timedelta(days=20))
    elsewhere = make_tour(EmployeeFactory(manager=cast.report), state="agreed", start=long_ago)  # Rita's report
    for i, person in enumerate([cast.report, cast.report_report, cast.other]):
        Contribution.objects.create(contributor=person, kind="market", title=f"Insight {i}", insight="i",
                                    acted_on=i < 2, outcome="A deal" if i < 2 else "")  # fmt: skip
    sign_in(page, "hr@test.example", PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("main").get_by_role("link", name="Check-ins", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Mo Nagy")
    assert row.get_by_role("cell").nth(5).inner_text() == "3"
    row.get_by_role("cell").nth(5).get_by_role("link").click()
    page.get_by_role("heading", name="Tours of duty").wait_for()
    assert page.get_by_text("3 tours", exact=True).is_visible()
    listed = " ".join(page.locator("main table tbody tr").all_inner_texts())
    in_db = Tour.objects.in_force(TODAY).filter(checkin_conditions(TODAY)["overdue"], employee__manager=cast.manager)
    assert set(in_db) == set(overdue)
    assert all(t.employee.full_name in listed for t in overdue) and elsewhere.employee.full_name not in listed
    assert page.get_by_label("Show").input_value() == "overdue"  # the list's own filter, there to change
    # The network report: this month's "acted on" figure opens the feed, which exports exactly those insights.
    page.goto("/networks/reports/")
    month = page.get_by_role("row").filter(has_text=f"{TODAY:%Y-%m}")
    month.get_by_role("cell").nth(3).get_by_role("link").click()
    page.get_by_text("2 insights", exact=True).wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert (
        sorted(r["title"] for r in rows)
        == sorted(
            Contribution.objects.filter(acted_on=True, created_at__date__gte=TODAY.replace(day=1)).values_list(
                "title", flat=True
            )
        )
        == ["Insight 0", "Insight 1"]
    )


def test_a_manager_follows_the_dashboard_figure_to_their_reports_without_a_tour(page, cast):
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=30))
    newcomer = EmployeeFactory(manager=cast.manager, first_name="Nia", last_name="New")
    sign_in(page, "manager@test.example", PASSWORD)
    card = page.get_by_role("region", name="Your team's tours")
    assert card.get_by_role("link", name="1", exact=True).is_visible()  # 1 of 2 with a tour in force
    card.get_by_role("link", name="2", exact=True).click()
    page.get_by_text("2 people", exact=True).wait_for()
    page.go_back()
    page.get_by_role("region", name="Your team's tours").get_by_role("link", name="1", exact=True).click()
    page.get_by_text("1 person", exact=True).wait_for()
    assert page.get_by_role("link", name="Rita Ortiz").is_visible()
    assert page.get_by_role("link", name=newcomer.full_name).count() == 0
