"""Issue 21, item 5 in a real browser: the first revision's own note, search by employee number, the alumni
directory's name search, and money in one format."""

import datetime
from decimal import Decimal

import pytest

from alumni.models import AlumniProfile
from networks.models import FundPolicy, FundSpend
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tours.models import Tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_what_the_pages_say_is_what_was_saved(page, cast):
    # The manager drafts a tour with a note for the history: revision 1 keeps it.
    sign_in(page, "manager@test.example", PASSWORD)
    page.goto("/tours/new/")
    page.get_by_label("Employee").select_option(label="Rita Ortiz")
    page.get_by_label("Transformational").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#id_title").fill("Lead the data platform")
    page.locator("#id_mission").fill("Make every team answer its own questions.")
    page.locator("#id_company_gets").fill("A data platform.")
    page.locator("#id_employee_gets").fill("Leading a team.")
    page.locator("#id_change_note").fill("From our first one-to-one")
    page.locator("#id_objectives-0-description").fill("Ship the first dashboard")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("From our first one-to-one").wait_for()
    assert Tour.objects.get(employee=cast.report).current_revision.change_note == "From our first one-to-one"

    # People search by employee number finds exactly that person.
    page.goto("/people/")
    page.get_by_label("Search").fill(cast.report_report.employee_number)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Ravi Rao").first.wait_for()
    assert page.locator("tbody tr").count() == 1  # Ravi alone (Rita appears there as his manager)

    # The alumni directory finds a listed alumna by name, once.
    AlumniProfile.objects.filter(employee=cast.alumnus).update(listed=True)
    page.goto("/alumni/directory/")
    page.get_by_label("Name").fill("udo")
    with page.expect_navigation():  # count on the answer's page, not the one the click is leaving
        page.get_by_role("button", name="Filter").click()
    assert page.get_by_text("Alma Udo").count() == 1

    # Money: the company's currency, one format.
    FundPolicy.objects.update_or_create(pk=1, defaults={"yearly_budget": Decimal("2500.00"), "currency": "GBP"})
    FundSpend.objects.create(
        employee=cast.manager, spent_on=datetime.date.today(), amount=Decimal("1200"), currency="GBP", what="lunch"
    )
    page.goto("/networks/fund/")
    page.get_by_text("1,200.00 GBP of 2,500.00 GBP spent").wait_for()
    page.goto("/")
    page.get_by_text("1,300.00 GBP").wait_for()
