"""The main journey in a real browser: the manager proposes a transformational tour, the employee
reads and signs it, the manager signs, and the tour shows as agreed."""

import datetime

import pytest

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page, name):
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


def test_manager_proposes_employee_and_manager_sign(page, cast):
    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("link", name="Tours", exact=True).click()
    page.get_by_role("link", name="Draft a tour").click()
    page.get_by_label("Employee").select_option(label="Rita Ortiz")
    page.get_by_label("Transformational").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Draft a transformational tour").wait_for()
    page.locator("#id_title").fill("Lead the data platform")
    page.locator("#id_mission").fill("Make every team able to answer its own questions with data.")
    page.locator("#id_company_gets").fill("A self-service data platform.")
    page.locator("#id_employee_gets").fill("Experience leading a platform team.")
    page.locator("#id_objectives-0-description").fill("Ship the first self-service dashboard")
    page.locator("#id_objectives-0-measure").fill("Teams onboarded per month")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("heading", name="Lead the data platform").wait_for()
    page.get_by_role("button", name="Propose to the other side").click()
    page.get_by_text("Proposed. The other side has been told").wait_for()
    sign_out(page, "Mo Nagy")

    sign_in(page, "report@test.example", PASSWORD)
    assert page.get_by_role("link", name="Notifications 1 unread").is_visible()
    page.get_by_role("link", name="Lead the data platform").first.click()
    assert page.get_by_text("Make every team able to answer its own questions with data.").is_visible()
    assert page.get_by_role("cell", name="Ship the first self-service dashboard").is_visible()
    page.get_by_role("button", name="Sign revision 1 as employee").click()
    page.get_by_text("Signed. The tour is agreed once the other side signs").wait_for()
    sign_out(page, "Rita Ortiz")

    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("link", name="Rita Ortiz: Lead the data platform").click()
    page.get_by_role("button", name="Sign revision 1 as manager").click()
    page.get_by_text("Signed by both sides: the tour is agreed.").wait_for()
    # The state badge: agreed, and in force once its start date has come.
    assert page.locator(".page-header .state").first.inner_text().strip() in ("Agreed", "In force")
    assert page.get_by_role("heading", name="The agreed terms (revision 1)").is_visible()


def test_the_employee_signs_an_amendment_right_under_its_terms(page, cast):
    """Issue 13: the sign button stood under the terms in force, not under the amendment it signs."""
    tour = make_tour(cast.report, state="agreed", start=datetime.date.today() - datetime.timedelta(days=100))
    sign_in(page, "manager@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("link", name="Propose an amendment").click()
    page.locator("#id_mission").fill("Run the platform as a product, with its own roadmap.")
    page.get_by_role("button", name="Propose this amendment").click()
    page.get_by_text("Saved as revision 2.").wait_for()
    sign_out(page, "Mo Nagy")

    sign_in(page, "report@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    sign = page.get_by_role("button", name="Sign revision 2 as employee")
    # What stands directly above the button is revision 2, with the new mission.
    above = page.locator("#sign").locator("xpath=preceding-sibling::section[1]")
    assert above.get_by_role("heading", name="Proposed amendment (revision 2)").is_visible()
    assert above.get_by_text("Run the platform as a product, with its own roadmap.").is_visible()
    # The terms in force stay readable, below and named as such.
    assert page.get_by_role("heading", name="The agreed terms in force (revision 1)").is_visible()
    sign.click()
    page.get_by_text("Signed. The tour is agreed once the other side signs").wait_for()


def test_two_editors_at_once_the_second_sees_the_conflict_and_saves_on_top(page, chromium, live_server, cast):
    """Issue 13: after an edit conflict, saving again conflicted forever; and adding an objective
    row needed a save. Now: add a row without saving, see their changes, keep mine, save on top."""
    tour = make_tour(cast.report, state="proposed")
    other = chromium.new_context(base_url=live_server.url)
    other.set_default_timeout(10_000)
    theirs = other.new_page()
    try:
        sign_in(theirs, "manager@test.example", PASSWORD)
        theirs.goto(f"{tour.get_absolute_url()}edit/")
        sign_in(page, "report@test.example", PASSWORD)
        page.goto(f"{tour.get_absolute_url()}edit/")

        theirs.locator("#id_title").fill("Their new title")
        theirs.get_by_role("button", name="Save and send revision 2").click()
        theirs.get_by_text("Saved as revision 2.").wait_for()
    finally:
        other.close()

    page.locator("#id_mission").fill("My own mission.")
    page.get_by_role("button", name="Add an objective").click()
    page.locator("#id_objectives-2-description").fill("Mentor two engineers")
    assert tour.revisions.count() == 2  # adding a row saved nothing
    page.get_by_role("button", name="Save and send revision 2").click()
    page.get_by_text("While you were editing").wait_for()
    changes = page.locator("section", has=page.get_by_role("heading", name="What changed meanwhile"))
    assert changes.get_by_text("Their new title").is_visible()
    assert page.locator("#id_mission").input_value() == "My own mission."
    assert page.locator("#id_objectives-2-description").input_value() == "Mentor two engineers"
    page.get_by_role("button", name="Save and send revision 3").click()
    page.get_by_text("Saved as revision 3.").wait_for()
    assert page.get_by_text("My own mission.").is_visible()
    assert page.get_by_role("cell", name="Mentor two engineers").is_visible()
