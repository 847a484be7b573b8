"""Every figure on every report and dashboard links to the list of exactly what it counts, and every chart
draws its table's rows. Walked for HR and for a manager on the seeded demo company, with the report filters
off and on, by parsing the links from the rendered pages and following each one."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.middleware import KEY as SEEN
from alliance.models import Employee, User
from portal.reports import ALL_REPORTS
from tests.factories import EmployeeFactory, make_tour
from tests.reports.test_report_queries import grow
from tests.test_query_budget import BUDGET

FIGURE = re.compile(r'<a class="figure-link" href="([^"]+)">(?:[^<]*?)(\d+)(?:[^<]*)</a>')
LIST_COUNT = re.compile(r'aria-live="polite">(\d+) (?:tours?|people|person|insights?|alumn(?:us|i)|referrals?)\b')
BAR = re.compile(r'data-row="(\d+)" data-value="(\d+)"')


# Counts of things no list page shows: attendances at events (the events list shows events, not who came).
UNLINKED = {"Event attendances"}


def figures(text):
    return [(html.unescape(url), int(value)) for url, value in FIGURE.findall(text)]


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = LIST_COUNT.search(response.text)
    assert found, f"no count on {url}"
    return int(found[1])


def walk(client, path):
    """Follows every figure link of one page; returns how many it checked."""
    response = client.get(path)
    assert response.status_code == 200, path
    links = figures(response.text)
    for url, value in links:
        assert listed(client, url) == value, f"{path}: {url} lists a different number than the figure {value}"
    return response, links


def signed_in(client, email):
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.parametrize("email", ["hr@example.com", "manager@example.com"])
def test_every_figure_links_to_a_list_of_exactly_what_it_counts(demo_company, client, email):
    client = signed_in(client, email)
    me = Employee.objects.get(user__email=email)
    checked = 0
    _, links = walk(client, reverse("dashboard"))
    checked += len(links)
    assert links, "the dashboard's figures are links"
    team = Employee.objects.filter(manager=me).exclude(team=None).values_list("team", flat=True).first()
    for report in ALL_REPORTS:
        for params in ({}, {"team": team} if team else {}):
            response, links = walk(
                client, reverse(report.url_name) + ("?team={}".format(params["team"]) if params else "")
            )
            checked += len(links)
            rows, columns = response.context["rows"], response.context["columns"]
            counts = [
                cell for row in rows for column, cell in zip(columns, row, strict=True)
                if isinstance(cell, int) and column not in UNLINKED
            ]  # fmt: skip
            if "hr" in email or report.url_name != "alumni:report":
                # Every count in the table is a link (shares, money and "yes/partly/no" are not counts).
                assert len([c for c in counts if getattr(c, "url", "")]) == len(counts), report.url_name
            assert len(links) >= len([c for c in counts if getattr(c, "url", "")]), report.url_name
    assert checked > 40, checked


@pytest.mark.parametrize("email", ["hr@example.com", "manager@example.com"])
def test_every_chart_draws_exactly_its_tables_rows(demo_company, client, email):
    client = signed_in(client, email)
    for report in ALL_REPORTS:
        response = client.get(reverse(report.url_name))
        rows, chart = response.context["rows"], response.context["chart"]
        bars = [(int(row), int(value)) for row, value in BAR.findall(response.text)]
        assert bars == [(row, value) for _, value, _, _, row in chart], report.url_name
        if not rows:
            continue
        assert bars, f"{report.url_name}: a table of {len(rows)} rows and no chart"
        column = {"tours:report_checkins": 5, "tours:report_at_risk": 2}.get(report.url_name, 1)
        for row, value in bars:
            assert int(rows[row][column]) == value, report.url_name
        if report.url_name not in ("tours:report_coverage", "alumni:report"):  # measure tables chart some rows
            assert len(bars) == len(rows), report.url_name
        assert "No data" not in response.text


def test_checkins_chart_of_zeros_still_draws_every_manager(cast, client_for):

    for _ in range(3):
        make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=datetime.date.today())
    response = client_for("hr").get(reverse("tours:report_checkins"))
    assert [row[5] for row in response.context["rows"]] == [0]
    assert len(BAR.findall(response.text)) == 1 and "No data" not in response.text


def test_the_lists_a_figure_opens_keep_their_query_count_flat(cast, client_for):
    """Every drill-down list, as HR and as a manager, costs the same queries with 10 people as with 70, and
    stays within the page budget (tests/test_query_budget.py)."""

    def measure(role):
        client = client_for(role)
        counts = {}
        for report in ALL_REPORTS:
            for url, _ in figures(client.get(reverse(report.url_name)).text):
                # The report page's request stamped the session; a request a minute later stamps it again
                # (alliance.middleware.IdleTimeoutMiddleware): then the list is measured once more.
                stamped = client.session.get(SEEN)
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                if client.session.get(SEEN) != stamped:
                    with CaptureQueriesContext(connection) as captured:
                        assert client.get(url).status_code == 200
                counts[url] = len(captured)
        return counts

    grow(cast, 6)
    few = {role: measure(role) for role in ("hr", "manager")}
    grow(cast, 60)
    for role in ("hr", "manager"):
        many = measure(role)
        shared = set(few[role]) & set(many)
        assert len(shared) > 10, role
        for url in shared:
            assert many[url] == few[role][url] <= BUDGET, f"{role} {url}"
