"""In a real browser (issue 23): after the nightly record_trends, HR opens a report and reads its trend (chart, table,
change since last month), downloads it as CSV and finds what the database recorded; a manager sees no company trend."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.reports.test_trends import THIS_MONTH, a_tour_with_a_past, months_ago
from trends.models import TrendPoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_reads_the_coverage_trend_and_downloads_what_was_recorded(page, cast):
    a_tour_with_a_past(cast)
    call_command("record_trends", stdout=io.StringIO())  # as cron runs it each night
    sign_in(page, "hr@test.example", PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("main").get_by_role("link", name="Coverage and mix", exact=True).click()
    trend = page.get_by_role("region", name="Trend: tours in force and signed, by type")
    trend.wait_for()
    table = trend.get_by_role("table")
    two_months_ago = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=f"{months_ago(2):%Y-%m}"))
    assert two_months_ago.get_by_role("cell").nth(1).inner_text() == "1"  # transformational, in force then
    now = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=f"{THIS_MONTH:%Y-%m}"))
    live = page.get_by_role("row", name="Transformational tours in force").get_by_role("cell").nth(1).inner_text()
    assert now.get_by_role("cell").nth(1).inner_text() == live == "0"  # this month: the figure above
    assert trend.get_by_text("Transformational tours in force").first.is_visible()
    assert trend.locator("svg.trend-chart rect").count() == table.locator("tbody tr").count()
    with page.expect_download() as download:
        trend.get_by_role("link", name="Download the trend as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    recorded = {
        f"{p.month:%Y-%m}": int(p.value)
        for p in TrendPoint.objects.filter(measure="tours_in_force_transformational").exclude(month=THIS_MONTH)
    }
    assert {r["Month"]: int(r["Transformational tours in force"]) for r in rows[:-1]} == {
        month: value for month, value in recorded.items() if month >= rows[0]["Month"]
    }
    # A manager's report is about their people: no company-wide trend there.
    page.context.clear_cookies()
    sign_in(page, "manager@test.example", PASSWORD)
    page.goto("/tours/reports/coverage/")
    page.get_by_role("heading", name="Coverage and mix").wait_for()
    assert page.get_by_text("Trend:").count() == 0
