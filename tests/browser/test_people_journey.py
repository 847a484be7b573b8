"""The first journey in a real browser: HR signs in, searches the directory, opens a person, signs out."""

import datetime

import pytest

from tests.conftest import sign_in
from tests.factories import PASSWORD, EmployeeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_finds_a_person_and_signs_out(page, cast):
    EmployeeFactory.create_batch(30)
    sign_in(page, "hr@test.example", PASSWORD)
    page.get_by_role("link", name="People").click()
    page.get_by_role("heading", name="People").wait_for()
    page.get_by_label("Search").fill("Rita")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("1 person").wait_for()
    page.get_by_role("link", name="Rita Ortiz").click()
    page.get_by_role("heading", name="Rita Ortiz").wait_for()
    assert page.get_by_text("report@test.example").is_visible()
    assert page.get_by_role("navigation", name="Reporting line").get_by_role("link", name="Mo Nagy").is_visible()
    page.get_by_role("button", name="Hana Rees").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto("/people/")
    assert "/accounts/login/" in page.url


def test_hr_edits_a_job_title_and_the_dates_stay(page, cast):
    """The date inputs used to get 30/11/2026 (en-gb), which Chromium shows as an empty box: saving any
    edit then failed on 'hire date required', or silently dropped the departure date (now not on the form)."""
    person = cast.report
    person.departure_date = datetime.date.today() + datetime.timedelta(days=60)
    person.save()
    hire, departure = person.hire_date, person.departure_date
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Edit").click()
    assert page.get_by_label("Hire date").input_value() == hire.isoformat()
    page.get_by_label("Job title").fill("Principal Engineer")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Rita Ortiz is saved.").wait_for()
    person.refresh_from_db()
    assert person.job_title == "Principal Engineer"
    assert (person.hire_date, person.departure_date) == (hire, departure)


def test_hr_undoes_a_departure_on_purpose_not_by_editing(page, cast):
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto(f"/people/{cast.alumnus.pk}/")
    page.get_by_role("heading", name="Alma Udo").wait_for()
    # The edit form has no departure date to retype by accident.
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("heading", name="Edit Alma Udo").wait_for()
    assert page.get_by_label("Departure date").count() == 0
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Alma Udo is saved.").wait_for()
    assert page.get_by_text("Departed", exact=True).is_visible()
    # Undoing is its own confirmed action.
    page.get_by_role("heading", name="Undo departure").wait_for()
    page.get_by_label("The departure was recorded by mistake: undo it").check()
    page.get_by_role("button", name="Undo departure").click()
    page.get_by_text("Alma Udo's departure is undone").wait_for()
    assert page.get_by_text("Active", exact=True).is_visible()
    assert page.get_by_role("button", name="Undo departure").count() == 0
