"""The main journey in a real browser: the manager proposes a transformational tour, the employee
reads and signs it, the manager signs, and the tour shows as agreed."""

import pytest

from tests.conftest import sign_in
from tests.factories import PASSWORD

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
    assert page.locator(".badge", has_text="Agreed").first.is_visible()
    assert page.get_by_role("heading", name="The agreed terms (revision 1)").is_visible()
