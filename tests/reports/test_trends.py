"""Trends (issue 23): record_trends keeps a monthly history of the reports' measures, backfilled from the data's
own dates and idempotent per month; each report shows it to HR (chart, table, change, CSV), and its current month
is the report's own live figure."""

import csv
import datetime
import io
import re
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alliance.models import User
from tests.factories import EmployeeFactory, make_tour
from tours import services
from tours.models import CheckIn, Tour
from tours.trends import checkin_values, coverage_values
from trends import series
from trends.models import TrendPoint

TODAY = datetime.date.today()
THIS_MONTH = TODAY.replace(day=1)
REPORTS = ["tours:report_coverage", "tours:report_checkins", "tours:report_outcomes", "networks:report",
           "alumni:report"]  # fmt: skip


def noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def months_ago(n):
    return series.shift(THIS_MONTH, -n)


def record():
    out = io.StringIO()
    call_command("record_trends", stdout=out)
    return out.getvalue()


def points():
    return {(p.month, p.measure): p.value for p in TrendPoint.objects.all()}


def a_tour_with_a_past(cast):
    """Signed nine months ago for a start eight months ago, ended last month: in force from then until then, its
    first check-in (every 3 months) answered on time by both sides, the second never (overdue 14 days after)."""
    person = EmployeeFactory(manager=cast.manager, hire_date=TODAY - datetime.timedelta(days=900))
    start = months_ago(8) + datetime.timedelta(days=3)
    tour = make_tour(person, state="agreed", start=start)
    first_due = tour.checkin_dates(until=TODAY)[0]
    for user in (person.user, cast.manager.user):
        services.tour_check_in(tour=tour, user=user, due_on=first_due, other_side_keeping="yes", note="", progress=[])
    CheckIn.objects.filter(tour=tour).update(created_at=noon(first_due + datetime.timedelta(days=2)))
    ended = months_ago(1) + datetime.timedelta(days=9)
    services.tour_end(tour=tour, ended_on=ended, outcome="planned_departure", end_reason="", company_kept="yes",
                      employee_kept="yes")  # fmt: skip
    Tour.objects.filter(pk=tour.pk).update(agreed_at=noon(start - datetime.timedelta(days=30)))
    return tour, first_due


def test_the_first_run_backfills_each_month_from_the_data_s_own_dates(cast):
    tour, first_due = a_tour_with_a_past(cast)
    assert "Trends recorded from" in record()
    history = points()
    in_force = "tours_in_force_transformational"
    assert history[(months_ago(9), in_force)] == 0  # signed, not started yet
    assert history[(months_ago(7), in_force)] == 1
    assert history[(months_ago(2), in_force)] == 1
    assert history[(months_ago(1), in_force)] == 0  # ended last month
    assert history[(months_ago(9), "tours_signed_transformational")] == 1  # signed a month before the start
    assert history[(months_ago(1), "tours_ended")] == 1
    # Check-ins: on time while only the first date had fallen due, overdue once the second was 14 days past.
    second_due = tour.checkin_dates(until=TODAY)[1]
    on_time_month = first_due.replace(day=1)
    late_month = series.month_start(second_due + datetime.timedelta(days=15))
    assert late_month == months_ago(2)
    assert history[(on_time_month, "checkins_overdue")] == 0
    assert history[(on_time_month, "checkins_on_time")] == Decimal("100.0")
    assert history[(late_month, "checkins_overdue")] == 1
    assert history[(THIS_MONTH, in_force)] == coverage_values(TODAY)[in_force] == 0


def test_record_trends_is_idempotent_per_month(cast):
    a_tour_with_a_past(cast)
    record()
    first = points()
    recorded_at = dict(TrendPoint.objects.exclude(month=THIS_MONTH).values_list("pk", "recorded_at"))
    second = record()
    assert points() == first
    # The past is final: a second run writes only the current month's figures again.
    assert dict(TrendPoint.objects.exclude(month=THIS_MONTH).values_list("pk", "recorded_at")) == recorded_at
    assert f": {TrendPoint.objects.filter(month=THIS_MONTH).count()} figures written" in second


def test_a_month_recorded_while_it_ran_is_finished_once_it_is_over(cast):
    a_tour_with_a_past(cast)
    record()
    last_month = months_ago(1)
    right = TrendPoint.objects.get(month=last_month, measure="tours_ended").value
    assert right == 1
    # As if the last run had been in the middle of last month, with a figure since out of date.
    TrendPoint.objects.filter(month=last_month).update(recorded_at=noon(last_month + datetime.timedelta(days=14)))
    TrendPoint.objects.filter(month=last_month, measure="tours_ended").update(value=99)
    record()
    assert TrendPoint.objects.get(month=last_month, measure="tours_ended").value == right


def test_change_against_the_previous_month():
    assert series.change(Decimal(3), Decimal(5), series.COUNT) == "+2"
    assert series.change(Decimal(5), Decimal(3), series.COUNT) == "−2"
    assert series.change(Decimal(5), Decimal(5), series.COUNT) == "±0"
    assert series.change(Decimal("50.0"), Decimal("62.5"), series.SHARE) == "+12 points"
    assert series.change(None, Decimal(5), series.COUNT) == "—"


def test_only_hr_sees_the_company_trend_and_only_unfiltered(cast, client_for):
    a_tour_with_a_past(cast)
    record()
    for name in REPORTS:
        assert client_for("hr").get(reverse(name)).context["trend"] is not None, name
        assert client_for("hr").get(reverse(name), {"team": cast.manager.team_id}).context["trend"] is None, name
        page = client_for("manager").get(reverse(name))
        assert page.context["trend"] is None and "Trend:" not in page.text, name
        refused = client_for("manager").get(reverse(name), {"format": "trend-csv"})
        assert refused["Content-Type"].startswith("text/html"), name  # the page, not the company's history
    assert client_for("other").get(reverse(REPORTS[0])).status_code == 403  # an employee who manages no one


def test_each_report_shows_its_trend_as_chart_table_change_and_csv(cast, client_for):
    a_tour_with_a_past(cast)
    record()
    client = client_for("hr")
    for name in REPORTS:
        page = client.get(reverse(name))
        trend = page.context["trend"]
        assert "Trend:" in page.text and "Change since the previous month" in page.text
        bars = re.findall(r'data-trend-row="(\d+)" data-value="(\d+)"', page.text)
        assert len(bars) == len(trend.rows) >= 2, name  # a bar per month of the table, this month included
        assert trend.rows[-1][0] == f"{THIS_MONTH:%Y-%m}"
        exported = client.get(reverse(name), {"format": "trend-csv"})
        table = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
        assert table[0] == trend.columns and table[1:] == [list(row) for row in trend.rows], name


def test_the_current_month_is_the_report_s_live_figure(demo_company, client):
    client.force_login(User.objects.get(email="hr@example.com"))

    def table(name):
        return {row[0]: row[1] for row in client.get(reverse(name)).context["rows"]}

    def current(name):
        trend = client.get(reverse(name)).context["trend"]
        return dict(zip(trend.columns, trend.rows[-1], strict=True))

    coverage, now = table("tours:report_coverage"), current("tours:report_coverage")
    for label in ("Rotational", "Transformational", "Foundational"):
        assert now[f"{label} tours in force"] == str(coverage[f"{label} tours in force"]) != ""
        assert now[f"{label} tours signed that month"] == str(coverage[f"{label} tours signed this month"])
    rows = client.get(reverse("tours:report_checkins"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(rows.streaming_content).decode())))[1:]
    now = current("tours:report_checkins")
    assert (
        int(now["With a check-in overdue"]) == sum(int(r[5]) for r in rows) == checkin_values(TODAY)["checkins_overdue"]
    )
    assert int(now["Tours in force"]) == sum(int(r[1]) for r in rows)
    network = {row[0]: row for row in client.get(reverse("networks:report")).context["rows"]}
    now = current("networks:report")
    month = network.get(f"{TODAY:%Y-%m}")
    assert now["Insights shared"] == str(month[1] if month else 0)
    assert now["Acted on"] == str(month[3] if month else 0)
    alumni, now = table("alumni:report"), current("alumni:report")
    assert now["Alumni"] == str(alumni["Alumni"])
    assert now["Engaged (profile updated in the last 12 months)"] == str(
        alumni["Profiles updated in the last 12 months"]
    )
    assert now["Referrals hired"] == str(alumni["Referrals hired"])
    assert now["Boomerangs"] == str(alumni["Boomerangs (rehired)"])
    # seed_demo recorded the history, so `make run` shows more than this month.
    assert len(client.get(reverse("tours:report_coverage")).context["trend"].rows) == 12
