"""HR's dashboard and the reports behind its figures agree at every moment: the dashboard counts afresh on
every visit, by the definitions the reports use (no snapshot that lags behind a change)."""

import datetime

from django.urls import reverse

from tests.factories import make_tour
from tests.test_import import HEADER, apply

TODAY = datetime.date.today()


def dashboard_figures(client):
    return client.get(reverse("dashboard")).context["hr"]


def report(client, name):
    return dict(client.get(reverse(name)).context["rows"])


def checkins_overdue(client):
    rows = client.get(reverse("tours:report_checkins")).context["rows"]
    return sum(row[-1] for row in rows)


def assert_agree(client):
    figures = dashboard_figures(client)
    coverage = report(client, "tours:report_coverage")
    assert figures["active"] == coverage["Active employees"]
    assert figures["coverage"] == coverage["Coverage"]
    assert figures["overdue_checkins"] == checkins_overdue(client)
    assert figures["alumni_fresh"] == report(client, "alumni:report")["Share updated in the last 12 months"]
    people = client.get(reverse("people:list")).context["page"].paginator.count
    assert figures["active"] == people
    return figures


def test_an_import_shows_on_the_dashboard_and_the_reports_at_once(cast, client_for):
    client = client_for("hr")
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=10))
    before = assert_agree(client)
    assert before["coverage"] == "20%"  # 1 of the 5 people employed today
    rows = "".join(f"N-{n},New,Person{n},new{n}@example.org,,Imported,,2024-01-0{1 + n % 9}\n" for n in range(40))
    assert apply(client, HEADER + rows).status_code == 302
    after = assert_agree(client)
    assert after["active"] == before["active"] + 40
    assert after["coverage"] == "2%"  # 1 of 45: the new people have no tour yet


def test_a_missed_check_in_shows_on_the_dashboard_and_the_report_at_once(cast, client_for):
    client = client_for("hr")
    assert assert_agree(client)["overdue_checkins"] == 0
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=130))  # first check-in missed
    figures = assert_agree(client)
    assert figures["overdue_checkins"] == 1
    assert figures["coverage"] == "20%"  # 1 of the 5 people employed today


def test_the_dashboard_counts_in_a_few_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for("hr")
    for n in range(30):
        make_tour(
            cast.report if n % 2 else cast.report_report, state="completed", start=TODAY - datetime.timedelta(days=900)
        )
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(14):
        client.get(reverse("dashboard"))
