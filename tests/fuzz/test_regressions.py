"""The 500s (and near-500s) the fuzz tests found, each as a plain test that runs every time."""

import datetime

from django.urls import reverse

from alliance.models import CompanyValue, Organization
from networks.models import Contribution
from tests.factories import make_tour
from tests.fuzz.hostile import BIG, get, post

LONG = "é🦄x" * 20_000  # SQLite refuses LIKE patterns over 50,000 bytes: "LIKE or GLOB pattern too complex"


def test_a_huge_manager_reference_is_not_found(cast):
    url = reverse("people:edit", args=[cast.report.pk])
    data = {"first_name": "R", "last_name": "O", "email": cast.report.user.email, "employee_number": "R-1",
            "team": str(cast.report.team_id), "hire_date": "2024-05-06", "manager_ref": LONG}  # fmt: skip
    response = post(cast.hr, url, data)
    assert response.status_code == 200
    assert "manager_ref" in response.context["form"].errors


def test_huge_search_terms_are_refused_by_the_filters(cast):
    for user, name, field in [
        (cast.hr, "people:list", "q"),
        (cast.hr, "people:list", "manager"),
        (cast.hr, "tours:index", "q"),
        (cast.hr, "tours:index", "manager"),
        (cast.report, "networks:index", "q"),
        (cast.report, "networks:index", "tag"),
        (cast.hr, "alumni:roster", "q"),
        (cast.hr, "alumni:roster", "employer"),
        (cast.report, "alumni:directory", "location"),
        (cast.hr, "tours:report_coverage", "manager"),
    ]:
        response = get(user, reverse(name), {field: LONG})
        assert field in response.context["form"].errors, (name, field)


def test_an_id_beyond_64_bits_in_a_multiple_choice_is_refused(cast):
    """`pk__in` raised OverflowError on SQLite (Django guards `pk=` but not `pk__in`)."""
    tour = make_tour(cast.report_report)
    terms = {"title": "T", "mission": "M", "company_gets": "C", "employee_gets": "E", "start_date": "2031-03-03",
             "end_date": "2034-03-02", "checkin_months": "3", "base_revision": "1", "objectives-TOTAL_FORMS": "1",
             "objectives-INITIAL_FORMS": "0", "objectives-0-side": "employee",
             "objectives-0-description": "D"}  # fmt: skip
    for value in [str(BIG), str(-BIG - 1), str(2**100)]:
        response = post(cast.report, reverse("tours:edit", args=[tour.pk]), terms | {"values": value})
        assert "values" in response.context["form"].errors

    mine = Contribution.objects.create(contributor=cast.report, kind="market", title="t", insight="i")
    spend = {"spent_on": datetime.date.today().isoformat(), "amount": "5", "what": "lunch",
             "contributions": [str(mine.pk), str(BIG)]}  # fmt: skip
    response = post(cast.report, reverse("networks:spend"), spend)
    assert "contributions" in response.context["form"].errors


def test_a_forged_management_form_cannot_ask_for_thousands_of_forms(cast):
    value = CompanyValue.objects.create(organization=Organization.load(), name="Candour", position=1)
    data = {"name": "N", "values-TOTAL_FORMS": "100000", "values-INITIAL_FORMS": "1", "values-0-id": str(value.pk),
            "values-0-name": "Candour", "values-0-position": "1"}  # fmt: skip
    response = post(cast.hr, reverse("company_edit"), data)
    formset = response.context["formset"]
    assert len(formset.forms) <= 50 and formset.non_form_errors()

    objectives = {"type": "transformational", "employee": cast.report.employee_number,
                  "objectives-TOTAL_FORMS": "5000", "objectives-INITIAL_FORMS": "0"}  # fmt: skip
    response = post(cast.hr, reverse("tours:create"), objectives)
    assert len(response.context["formset"].forms) <= 20


def test_a_post_without_a_tour_type_shows_the_errors(cast):
    response = post(cast.hr, reverse("tours:create"), {"employee": cast.report.employee_number})
    assert "type" in response.context["start"].errors


def test_tour_dates_near_the_end_of_the_calendar_are_refused(cast):
    """A start in year 9999 made the length rule add years past date.max: OverflowError, a 500."""
    from tests.tours.test_workflow import terms_post

    tour = make_tour(cast.report_report)
    for start, end in [(datetime.date(9999, 1, 1), datetime.date(9999, 12, 31)), (datetime.date(1, 1, 2), None)]:
        data = terms_post(start, end, base_revision=1)
        response = post(cast.report, reverse("tours:edit", args=[tour.pk]), data)
        assert response.status_code == 200
        assert "Enter a date between 1950 and 2199." in response.text


def test_a_rehire_in_year_9999_is_a_form_error(cast):
    # The draft first tour's end (start + 24 months) overflowed the calendar: a 500 on a random run.
    url = reverse("alumni:rehire", args=[cast.alumnus.alumni_profile.pk])
    data = {"rehired_on": "9999-12-01", "manager": cast.manager.employee_number, "job_title": "Engineer"}
    response = post(cast.hr, url, data)
    assert response.status_code == 200
    assert "Enter a date between 1950 and 2199." in " ".join(response.context["form"].errors["rehired_on"])
    # Within the supported years, a rehire is still at most a year ahead.
    data["rehired_on"] = "2199-01-01"
    response = post(cast.hr, url, data)
    assert "at most a year ahead" in " ".join(response.context["form"].errors["rehired_on"])
