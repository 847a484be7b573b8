"""Picking people: the search endpoint behind the picker, and the person fields without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from networks.models import Event
from tests.factories import EmployeeFactory, TeamFactory

SEARCH = reverse("people:search")


def names(response):
    return [person["name"] for person in response.json()["results"]]


def test_search_needs_a_sign_in(client):
    response = client.get(SEARCH, {"q": "Rita"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_alumnus_is_refused_and_an_employee_allowed(client_for, cast):
    assert client_for("alumnus").get(SEARCH, {"q": "Rita"}).status_code == 403
    assert names(client_for("manager").get(SEARCH, {"q": "Rita"})) == ["Rita Ortiz"]


def test_an_employee_finds_only_the_people_they_may_see(client_for, cast):
    # Rita sees herself and her report Ravi; not her own manager, nor another team.
    assert names(client_for("report").get(SEARCH, {"q": "Ravi"})) == ["Ravi Rao"]
    assert names(client_for("report").get(SEARCH, {"q": "Mo"})) == []
    assert names(client_for("report").get(SEARCH, {"q": "Oskar"})) == []
    assert names(client_for("hr").get(SEARCH, {"q": "Oskar"})) == ["Oskar Tamm"]


def test_search_matches_name_prefixes_number_and_email(client_for, cast):
    client = client_for("hr")
    assert names(client.get(SEARCH, {"q": "nag"})) == ["Mo Nagy"]
    assert names(client.get(SEARCH, {"q": "mo na"})) == ["Mo Nagy"]
    assert names(client.get(SEARCH, {"q": cast.other.employee_number})) == ["Oskar Tamm"]
    assert names(client.get(SEARCH, {"q": "OTHER@test"})) == ["Oskar Tamm"]
    found = client.get(SEARCH, {"q": "Oskar"}).json()["results"][0]
    assert found == {
        "name": "Oskar Tamm",
        "team": "Sales",
        "number": cast.other.employee_number,
        "label": f"Oskar Tamm ({cast.other.employee_number})",
    }


def test_search_leaves_out_departed_people_when_asked(client_for, cast):
    client = client_for("hr")
    assert names(client.get(SEARCH, {"q": "Alma"})) == ["Alma Udo"]
    assert names(client.get(SEARCH, {"q": "Alma", "active": "1"})) == []


@pytest.mark.parametrize("q", ["", "R", " R ", "x" * 300])
def test_too_short_or_too_long_a_query_finds_no_one(client_for, cast, q):
    response = client_for("hr").get(SEARCH, {"q": q})
    assert response.status_code == 200 and response.json() == {"results": []}


def test_search_answers_at_most_ten_in_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    EmployeeFactory.create_batch(25, first_name="Sam", team=TeamFactory(name="Ops"))
    client = client_for("hr")
    client.get(SEARCH, {"q": "Sa"})  # the first request after sign-in also stamps the session
    # session, the signed-in user with their person and HR flag, the people matching (team joined in).
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"q": "Sa"})
    assert len(names(response)) == 10


def test_search_is_get_only(client_for, cast):
    assert client_for("hr").post(SEARCH, {"q": "Rita"}).status_code == 405


# The person fields without JavaScript: a number, an email, an exact name or the picker's label.


def person_form(cast, manager_ref):
    return {
        "first_name": "Oskar",
        "last_name": "Tamm",
        "email": "other@test.example",
        "employee_number": cast.other.employee_number,
        "hire_date": "2020-01-06",
        "manager_ref": manager_ref,
    }


@pytest.mark.parametrize("ref", ["number", "MANAGER@test.example", "mo nagy", "label"])
def test_manager_field_takes_a_number_an_email_an_exact_name_or_a_label(client_for, cast, ref):
    ref = {"number": cast.manager.employee_number, "label": f"Mo Nagy ({cast.manager.employee_number})"}.get(ref, ref)
    response = client_for("hr").post(reverse("people:edit", args=[cast.other.pk]), person_form(cast, ref))
    assert response.status_code == 302
    cast.other.refresh_from_db()
    assert cast.other.manager == cast.manager


def test_manager_field_says_when_no_one_or_several_people_match(client_for, cast):
    EmployeeFactory(first_name="Mo", last_name="Nagy")
    client = client_for("hr")
    url = reverse("people:edit", args=[cast.other.pk])
    response = client.post(url, person_form(cast, "Mo Nagy"))
    assert response.context["form"].errors["manager_ref"] == ["2 people match “Mo Nagy”: give the employee number."]
    response = client.post(url, person_form(cast, "Nobody Here"))
    assert response.context["form"].errors["manager_ref"] == ["No one matches “Nobody Here”."]
    cast.other.refresh_from_db()
    assert cast.other.manager is None


def test_person_form_shows_the_picker_with_the_manager_by_name(client_for, cast):
    html = client_for("hr").get(reverse("people:edit", args=[cast.report.pk])).content.decode()
    assert f'value="Mo Nagy ({cast.manager.employee_number})"' in html
    assert f'data-person-search="{SEARCH}"' in html
    assert 'src="/static/js/person-picker.js"' in html


def rehire_url(cast):
    return reverse("alumni:rehire", args=[cast.alumnus.alumni_profile.pk])


@pytest.mark.parametrize(
    ("url", "field", "pickers"),
    [
        (lambda c: reverse("people:create"), "manager_ref", 1),
        (lambda c: reverse("people:list"), "manager", 2),  # and "below", the drill-down's filter
        (lambda c: reverse("tours:index"), "manager", 2),
        (lambda c: reverse("tours:create"), "employee", 1),
        (lambda c: reverse("tours:report_at_risk"), "manager", 1),
        (lambda c: reverse("tours:report_coverage"), "manager", 1),
        (lambda c: reverse("tours:report_outcomes"), "manager", 1),
        (lambda c: reverse("tours:report_checkins"), "manager", 1),
        (lambda c: reverse("networks:report"), "manager", 1),
        (lambda c: reverse("alumni:report"), "manager", 1),
        (lambda c: reverse("networks:budgets"), "override-employee", 1),
        (lambda c: reverse("networks:event_create"), "attendees_text", 1),
        (rehire_url, "manager", 1),
    ],
)
def test_every_person_field_is_a_picker(client_for, cast, url, field, pickers):
    html = client_for("hr").get(url(cast)).content.decode()
    assert f'name="{field}"' in html
    assert html.count("data-person-search=") == pickers, "one picker per person field"


def test_rehire_takes_the_new_manager_by_name(client_for, cast):
    response = client_for("hr").post(
        rehire_url(cast),
        {"rehired_on": datetime.date.today().isoformat(), "manager": "Mo Nagy", "job_title": "Engineer"},
    )
    assert response.status_code == 302
    cast.alumnus.refresh_from_db()
    assert cast.alumnus.manager == cast.manager


def test_budget_override_takes_a_person_by_label_and_says_when_no_one_matches(client_for, cast):
    client = client_for("hr")
    data = {"override": "1", "override-year": "2030", "override-amount": "900"}
    response = client.post(reverse("networks:budgets"), {**data, "override-employee": "Zed Nobody"})
    assert response.context["override_form"].errors["employee"] == ["No one matches “Zed Nobody”."]
    label = f"Oskar Tamm ({cast.other.employee_number})"
    assert client.post(reverse("networks:budgets"), {**data, "override-employee": label}).status_code == 302
    assert cast.other.fund_budgets.get(year=2030).amount == 900


EVENT = {"title": "Meetup", "kind": "hosted", "date": "2026-01-06", "outside_guests": 0}


def test_event_attendees_take_labels_names_and_numbers(client_for, cast):
    client = client_for("hr")
    attendees = f"Oskar Tamm ({cast.other.employee_number}), rita ortiz\n{cast.manager.employee_number}"
    response = client.post(
        reverse("networks:event_create"),
        {**EVENT, "attendees_text": attendees},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert set(Event.objects.get().attendees.all()) == {cast.other, cast.report, cast.manager}
    response = client.post(
        reverse("networks:event_create"),
        {**EVENT, "attendees_text": "Rita Ortiz, X"},
    )
    assert response.context["form"].errors["attendees_text"] == ["No one matches “X”."]


# The new-tour form starts empty, or on the person whose page the link came from.


def test_a_manager_starting_a_tour_gets_no_one_preselected(client_for, cast):
    response = client_for("manager").get(reverse("tours:create"))
    field = response.context["start"]["employee"]
    assert not field.value()
    assert str(field).count("selected") == 1 and 'value="" selected' in str(field)


def test_the_new_tour_form_starts_on_the_person_the_link_names(client_for, cast):
    response = client_for("manager").get(reverse("tours:create"), {"employee": cast.report.pk})
    assert str(response.context["start"]["employee"].value()) == str(cast.report.pk)
    response = client_for("hr").get(reverse("tours:create"), {"employee": cast.report.employee_number})
    assert f'value="{cast.report.employee_number}"' in response.content.decode()


def test_a_manager_who_picks_no_one_is_told_to_choose(client_for, cast):
    response = client_for("manager").get(reverse("tours:create"), {"employee": "", "type": "transformational"})
    assert response.context["start"].errors["employee"] == ["This field is required."]


def test_the_audit_filters_are_pickers_and_take_names(client_for, cast):
    client = client_for("hr")
    html = client.get(reverse("audit:list")).content.decode()
    assert html.count("data-person-search=") == 2  # about a person, changed by a person
    response = client.get(reverse("audit:list"), {"person": "rita ortiz", "by": "Hana Rees"})
    assert response.status_code == 200 and not response.context["form"].errors
    response = client.get(reverse("audit:list"), {"by": "Nobody"})
    assert response.context["form"].errors["by"] == ["No one matches “Nobody”."]


def test_a_nul_in_the_search_is_no_error(client_for, cast):
    # PostgreSQL refuses a NUL in a query: the CI fuzz run found a 500 there.
    response = client_for("hr").get(reverse("people:search"), {"q": "Mo\x00 Na"})
    assert response.status_code == 200
