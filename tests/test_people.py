import datetime

import pytest
from django.urls import reverse

from alliance.models import Employee, User
from tests.factories import EmployeeFactory, TeamFactory


def test_hr_sees_everyone_active_by_default(client_for, cast):
    response = client_for("hr").get(reverse("people:list"))
    names = {p.full_name for p in response.context["page"].object_list}
    assert cast.other.full_name in names
    assert cast.alumnus.full_name not in names  # departed people are under "Departed"


def test_manager_directory_is_their_whole_subtree(client_for, cast):
    response = client_for("manager").get(reverse("people:list"), {"status": ""})
    names = {p.full_name for p in response.context["page"].object_list}
    assert names == {
        cast.manager.full_name,
        cast.report.full_name,
        cast.report_report.full_name,
        cast.alumnus.full_name,
    }


def test_search_matches_every_word_across_fields(client_for, cast):
    response = client_for("hr").get(reverse("people:list"), {"q": "rita engineer"})
    assert [p.pk for p in response.context["page"].object_list] == [cast.report.pk]


def test_filters_by_team_manager_and_status(client_for, cast):
    client = client_for("hr")
    sales = cast.other.team
    assert [p.pk for p in client.get(reverse("people:list"), {"team": sales.pk}).context["page"]] == [cast.other.pk]
    by_manager = client.get(reverse("people:list"), {"manager": cast.manager.user.email, "status": ""})
    assert {p.pk for p in by_manager.context["page"]} == {cast.report.pk, cast.alumnus.pk}
    departed = client.get(reverse("people:list"), {"status": "departed"})
    assert [p.pk for p in departed.context["page"]] == [cast.alumnus.pk]


def test_unknown_manager_filter_says_so_and_shows_no_one(client_for, cast):
    response = client_for("hr").get(reverse("people:list"), {"manager": "nobody@nowhere"})
    assert response.status_code == 200
    assert "No one matches “nobody@nowhere”." in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_directory_is_paginated_and_a_bad_page_number_is_not_an_error(client_for, cast):
    EmployeeFactory.create_batch(30)
    client = client_for("hr")
    first = client.get(reverse("people:list"))
    assert len(first.context["page"].object_list) == 25
    assert client.get(reverse("people:list"), {"page": "999"}).status_code == 200
    assert client.get(reverse("people:list"), {"page": "abc"}).status_code == 200


def test_empty_directory_result_has_a_message(client_for, cast):
    response = client_for("hr").get(reverse("people:list"), {"q": "zzzz-nobody"})
    assert "No one matches these filters." in response.content.decode()


def test_person_page_shows_alignment_to_their_manager(client_for, cast):
    cast.report_report.post_company_goal = "Open a bakery"
    cast.report_report.save()
    response = client_for("manager").get(reverse("people:detail", args=[cast.report_report.pk]))
    assert "Open a bakery" in response.content.decode()
    assert response.context["chain"] == [cast.report, cast.manager]


def test_hr_creates_a_person_with_a_sign_in(client_for, cast):
    response = client_for("hr").post(
        reverse("people:create"),
        {
            "first_name": "Nina",
            "last_name": "Berg",
            "email": "Nina.Berg@Example.com",
            "employee_number": "N-1",
            "job_title": "Analyst",
            "team": cast.other.team.pk,
            "manager_ref": cast.manager.employee_number,
            "hire_date": "2024-03-01",
        },
    )
    nina = Employee.objects.get(employee_number="N-1")
    assert response.status_code == 302 and response["Location"] == nina.get_absolute_url()
    assert nina.user.email == "nina.berg@example.com"
    assert not nina.user.has_usable_password()
    assert nina.manager == cast.manager


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "other@test.example"}, "email", "Another person already signs in with this email."),
        ({"manager_ref": "nobody"}, "manager_ref", "No one matches “nobody”."),
        ({"hire_date": "not a date"}, "hire_date", "Enter a valid date."),
    ],
)
def test_person_form_explains_bad_input(client_for, cast, changes, field, message):
    data = {
        "first_name": "Rita",
        "last_name": "Ortiz",
        "email": "report@test.example",
        "employee_number": cast.report.employee_number,
        "hire_date": "2020-01-06",
        "manager_ref": cast.manager.employee_number,
        **changes,
    }
    response = client_for("hr").post(reverse("people:edit", args=[cast.report.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    cast.report.refresh_from_db()
    assert cast.report.user.email == "report@test.example"


def test_a_manager_loop_is_refused(client_for, cast):
    data = {
        "first_name": "Mo",
        "last_name": "Nagy",
        "email": "manager@test.example",
        "employee_number": cast.manager.employee_number,
        "hire_date": "2020-01-06",
        "manager_ref": cast.report_report.employee_number,  # Ravi reports to Rita who reports to Mo
    }
    response = client_for("hr").post(reverse("people:edit", args=[cast.manager.pk]), data)
    assert "that would make a loop" in response.content.decode()
    cast.manager.refresh_from_db()
    assert cast.manager.manager is None


def test_a_departed_person_loses_employee_access_even_with_an_open_session(client, cast):
    client.force_login(cast.report.user)
    assert client.get(reverse("people:detail", args=[cast.report.pk])).status_code == 200
    Employee.objects.filter(pk=cast.report.pk).update(departure_date=datetime.date.today())
    assert client.get(reverse("people:detail", args=[cast.report.pk])).status_code == 404
    assert client.get(reverse("people:list")).status_code == 403


def test_sign_in_by_email_is_case_insensitive(client, cast):
    response = client.post(reverse("login"), {"username": "HR@Test.Example", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == cast.hr.user.pk


def test_people_list_query_count_does_not_grow_with_rows(client_for, cast, django_assert_num_queries):
    team = TeamFactory(name="Big")
    EmployeeFactory.create_batch(60, team=team, manager=cast.manager)
    client = client_for("hr")
    # session, user, HR permission (user + group perms), count, page, team choices, person and
    # "has reports" and unread notifications for the menu, and the session's idle-expiry refresh
    # (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get(reverse("people:list"))
    assert len(response.context["page"].object_list) == 25


def test_manager_people_list_query_count(client_for, cast, django_assert_num_queries):
    EmployeeFactory.create_batch(60, manager=cast.report)
    client = client_for("manager")
    # session, user, HR permission (2), person, "has reports", count, page (the subtree is a
    # subquery of both), team choices, session refresh (3)
    with django_assert_num_queries(8):
        client.get(reverse("people:list"))


def test_person_page_query_count(client_for, cast, django_assert_num_queries):
    EmployeeFactory.create_batch(60, manager=cast.report)
    client = client_for("hr")
    # session, user, HR permission (2), the person with team and manager, report count, the first
    # 100 reports with teams, their tours, their alumni profile (HR), person and "has reports" for
    # the menu, session refresh (3); HR's history section: its versions with the team and manager
    # they name (1); HR's sign-in status: the last sign-in link (1)
    with django_assert_num_queries(12):
        response = client.get(reverse("people:detail", args=[cast.report.pk]))
    assert response.context["report_count"] == 61


def test_user_model_normalises_email(db):
    user = User.objects.create_user("Mixed@Case.Example", "pw")
    assert user.email == "mixed@case.example"


def test_person_form_shows_dates_the_browser_date_field_can_read(client_for, cast):
    # A date input only takes ISO dates: any other format left it empty, and saving failed in a browser.
    html = client_for("hr").get(reverse("people:edit", args=[cast.report.pk])).content.decode()
    assert 'type="date" name="hire_date" value="2020-01-06"' in html
