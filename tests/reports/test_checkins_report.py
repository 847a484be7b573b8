import datetime

from django.urls import reverse
from django.utils import timezone

from alliance.models import Team
from tests.factories import EmployeeFactory, make_tour
from tours import services
from tours.models import CheckIn

TODAY = datetime.date.today()
URL = reverse("tours:report_checkins")


def test_exact_checkin_figures(cast, client_for):
    started = TODAY - datetime.timedelta(days=400)
    recent = make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=started)
    services.tour_check_in(tour=recent, user=recent.employee.user, due_on=recent.checkin_dates(until=TODAY)[-1],
                           other_side_keeping="yes", note="", progress=[])  # fmt: skip
    # `recent`: one side answered the latest date only, the earlier dates are unanswered: overdue.
    make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=started)  # never checked in: overdue
    make_tour(
        EmployeeFactory(manager=cast.manager), state="agreed", start=TODAY - datetime.timedelta(days=20)
    )  # too new: nothing has fallen due, so up to date
    old = make_tour(cast.report_report, state="agreed", start=started)
    services.tour_check_in(tour=old, user=cast.report_report.user, due_on=old.checkin_dates(until=TODAY)[0],
                           other_side_keeping="yes", note="", progress=[])  # fmt: skip
    CheckIn.objects.filter(tour=old).update(created_at=timezone.now() - datetime.timedelta(days=200))
    rows = client_for("hr").get(URL).context["rows"]
    assert rows == [
        ("Mo Nagy", 3, 1, "33%", 0, 2),
        ("Rita Ortiz", 1, 0, "0%", 0, 1),  # only the first date, by one side: overdue
    ]
    assert client_for("report").get(URL).context["rows"] == [("Rita Ortiz", 1, 0, "0%", 0, 1)]


def test_paginated_25_managers_a_page_filterable_by_team_and_csv_has_every_row(cast, client_for):
    design = Team.objects.create(name="Design")
    for i in range(30):  # 30 managers, each with one report on an agreed tour
        boss = EmployeeFactory(first_name="Boss", last_name=f"{i:02d}", manager=cast.manager, team=design)
        make_tour(EmployeeFactory(manager=boss, team=design), state="agreed", start=TODAY - datetime.timedelta(days=20))
    client = client_for("hr")
    first = client.get(URL)
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.num_pages == 2
    assert "Page 1 of 2" in first.text and "page=2" in first.text
    second = client.get(URL, {"page": 2})
    assert [row[0] for row in second.context["rows"]] == [f"Boss {i:02d}" for i in range(25, 30)]
    assert client.get(URL, {"page": "nonsense"}).status_code == 200  # get_page() falls back to page 1
    engineering = cast.manager.team
    assert client.get(URL, {"team": engineering.pk}).context["rows"] == []  # no tours in force there
    exported = b"".join(client.get(URL, {"format": "csv", "team": design.pk}).streaming_content).decode()
    assert len(exported.splitlines()) == 1 + 30  # the header and every manager, not one page


def test_checkins_report_queries_do_not_grow_with_managers(cast, client_for, django_assert_num_queries):
    def add_managers(n):
        for _ in range(n):
            boss = EmployeeFactory(manager=cast.manager)
            make_tour(EmployeeFactory(manager=boss), state="agreed", start=TODAY - datetime.timedelta(days=200))

    client = client_for("hr")
    client.get(URL)  # the first request after sign-in stamps the session
    add_managers(3)
    # session, user (with roles), the page's rows, the paginator's count, the team choices; the trend's
    # stored months and today's figures (one aggregate)
    with django_assert_num_queries(7):
        client.get(URL)
    add_managers(40)
    with django_assert_num_queries(7):
        assert len(client.get(URL).context["rows"]) == 25
