"""The horizon (issue 23, item 5): a manager's people ahead in time (HR: the company, by department), with one
click to start the next-tour conversation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alumni.models import AlumniProfile, Departure
from tests.factories import EmployeeFactory, TeamFactory, make_tour
from tours.models import Tour

TODAY = datetime.date.today()


def ending_in(person, days, start_days_ago=700):
    """An agreed tour of `person` ending `days` from today."""
    start = TODAY - datetime.timedelta(days=start_days_ago)
    return make_tour(person, state="agreed", start=start, end=TODAY + datetime.timedelta(days=days))


def alumnus(manager, *, eligible, open_to_returning=True, listed=True, team=None):
    person = EmployeeFactory(
        manager=manager, team=team or manager.team, departure_date=TODAY - datetime.timedelta(days=60)
    )
    Departure.objects.create(
        employee=person, departure_date=person.departure_date, reason="other", rehire_eligible=eligible,
        recorded_by=manager.user,
    )  # fmt: skip
    from django.utils import timezone

    AlumniProfile.objects.create(
        employee=person, joined_at=timezone.now(), open_to_returning=open_to_returning, listed=listed,
        current_employer="Initech",
    )  # fmt: skip
    return person


@pytest.fixture
def horizon(cast):
    """Below the manager: the report's tour ends in 20 days; the report's report's in 200 days with its next-tour
    conversation already due (a long term); a new report of the manager's has no tour; another team's person
    (not below the manager) ends in 30 days. Alumni: one HR would rehire and who is open to returning, listed;
    one not eligible but open and listed; one eligible, open but not listed."""
    soon = ending_in(cast.report, 20)
    long_due = make_tour(
        cast.report_report, state="agreed", start=TODAY - datetime.timedelta(days=1500),
        end=TODAY + datetime.timedelta(days=200),
    )  # fmt: skip
    newcomer = EmployeeFactory(first_name="Nia", last_name="Newton", manager=cast.manager, team=cast.manager.team)
    elsewhere = ending_in(
        EmployeeFactory(first_name="Sam", last_name="Sales", manager=cast.other, team=cast.other.team), 30
    )
    welcome = alumnus(cast.manager, eligible=True)
    not_eligible = alumnus(cast.manager, eligible=False)
    unlisted = alumnus(cast.manager, eligible=True, listed=False)
    return soon, long_due, newcomer, elsewhere, welcome, not_eligible, unlisted


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("report_report", 403), ("other", 403), ("alumnus", 403), ("manager", 200), ("hr", 200)],
)
def test_the_horizon_is_for_managers_and_hr(client_for, role, status):
    assert client_for(role).get(reverse("horizon")).status_code == status


def test_a_manager_sees_their_people_ahead(client_for, cast, horizon):
    soon, long_due, newcomer, elsewhere, welcome, not_eligible, unlisted = horizon
    page = client_for("manager").get(reverse("horizon"))
    assert [row.tour for row in page.context["rows"]] == [soon, long_due]  # not another team's tour
    assert [row.talk_due for row in page.context["rows"]] == [True, True]
    assert newcomer in page.context["without_tour"]
    assert cast.other not in page.context["without_tour"]
    # Rehire eligibility is HR's alone: a manager sees listed alumni open to returning, whatever HR decided.
    assert {p.employee for p in page.context["alumni"]} == {welcome, not_eligible}
    assert "eligible" not in page.text.lower()
    assert page.text.count("<rect") == 2  # the chart draws the table's rows
    # Rita's manager may start hers; Ravi's is Rita's to start (the manager above is no party to it).
    assert [row.may_plan for row in page.context["rows"]] == [True, False]
    assert page.text.count("Start the next-tour conversation") == 1
    assert "Rita Ortiz starts it" in page.text


def test_hr_sees_the_company_by_department_and_the_alumni_it_would_rehire(client_for, cast, horizon):
    soon, long_due, newcomer, elsewhere, welcome, not_eligible, unlisted = horizon
    client = client_for("hr")
    page = client.get(reverse("horizon"))
    assert [row.tour for row in page.context["rows"]] == [soon, elsewhere, long_due]
    assert {p.employee for p in page.context["alumni"]} == {welcome, unlisted}
    departments = {name: (deciding, missing) for _, name, deciding, missing in page.context["departments"]}
    assert departments["Engineering"][0] == 2 and departments["Sales"] == (1, 1)  # Oskar has no tour
    assert departments["Engineering"][1] >= 1  # the newcomer (HR and the manager, with no tours, too)
    sales = client.get(reverse("horizon"), {"team": elsewhere.employee.team.pk})
    assert [row.tour for row in sales.context["rows"]] == [elsewhere]
    assert "departments" not in sales.context
    assert page.text.count("Start the next-tour conversation") == 3  # HR plans next tours (tours/access.py)


def test_one_click_starts_the_next_tour_conversation(client_for, cast, horizon):
    soon = horizon[0]
    client = client_for("manager")  # Rita's manager: a party to her tour, so the button is there
    page = client.get(reverse("horizon"))
    assert f'action="{reverse("tours:plan_next", args=[soon.pk])}"' in page.text
    response = client.post(reverse("tours:plan_next", args=[soon.pk]))
    successor = Tour.objects.get(predecessor=soon)
    assert response.status_code == 302 and response["Location"] == successor.get_absolute_url()
    assert successor.state == Tour.State.DRAFT and successor.employee == cast.report
    page = client.get(reverse("horizon"))
    row = next(r for r in page.context["rows"] if r.tour == soon)
    assert row.tour.successor_id == successor.pk and not row.may_plan


def test_a_bad_department_is_a_form_error_not_a_500(client_for, horizon):
    for team in ("nonsense", "99999999999999999999999", "-1"):
        response = client_for("hr").get(reverse("horizon"), {"team": team, "page": "x"})
        assert response.status_code == 200
        assert response.context["form"].errors


def build_company(cast, teams, per_team):
    """`teams` departments of `per_team` people each, under the manager, with tours ending soon and due, people
    without a tour and alumni of each kind: enough rows that an N+1 would show."""
    for t in range(teams):
        team = TeamFactory(name=f"Department {t}")
        for i in range(per_team):
            person = EmployeeFactory(manager=cast.manager, team=team)
            if i % 3 == 0:
                ending_in(person, 10 + i)
            elif i % 3 == 1:
                tour = ending_in(person, 40 + i)
                if i % 2:
                    from tours import services

                    services.tour_plan_next(tour=tour, user=cast.manager.user)
        alumnus(cast.manager, eligible=True, team=team)


def queries(client):
    client.get(reverse("horizon"))  # the first request after sign-in stamps the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("horizon"))
    assert response.status_code == 200
    return len([q for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]), response


@pytest.mark.parametrize(("role", "expected"), [("manager", 8), ("hr", 11)])
def test_the_horizon_query_count_does_not_grow(client_for, cast, role, expected):
    build_company(cast, teams=1, per_team=3)
    few, _ = queries(client_for(role))
    build_company(cast, teams=4, per_team=12)
    many, response = queries(client_for(role))
    assert len(response.context["rows"]) == 25  # a page of the time line
    # session, user with roles, the time line's count and page (its successor in subqueries), people without a tour
    # (count and first 25), alumni (count and first 25); HR also: the department choices and the two summary queries
    assert few == many == expected
