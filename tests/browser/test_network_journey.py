"""In a real browser: the employee shares an insight, the manager rates it and marks it acted on,
and the employee sees the result."""

import pytest

from tests.browser.test_tour_journey import sign_out
from tests.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_rate_and_see_the_result(page, cast):
    sign_in(page, "report@test.example", PASSWORD)
    page.get_by_role("link", name="Network", exact=True).click()
    page.get_by_role("link", name="Share an insight").first.click()
    page.get_by_label("Kind").select_option(label="Customer lead")
    page.locator("#id_title").fill("A Rotterdam logistics firm wants a pilot")
    page.locator("#id_insight").fill("Their CTO told a friend of mine they are shopping for workflow tools.")
    page.get_by_label("Tags").fill("logistics, pilot")
    page.get_by_label("Managers and HR").check()
    page.get_by_role("button", name="Share").click()
    page.get_by_text("Thank you: your insight is shared.").wait_for()
    sign_out(page, "Rita Ortiz")

    sign_in(page, "manager@test.example", PASSWORD)
    page.goto("/networks/to-rate/")
    page.get_by_role("link", name="A Rotterdam logistics firm wants a pilot").click()
    page.get_by_role("link", name="Rate it").click()
    page.get_by_label("5").check()
    page.get_by_label("We acted on it").check()
    page.get_by_label("What came of it").fill("Sales called them; a pilot starts in May.")
    page.get_by_role("button", name="Save the rating").click()
    page.get_by_text("Rated. The contributor has been told.").wait_for()
    sign_out(page, "Mo Nagy")

    sign_in(page, "report@test.example", PASSWORD)
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.get_by_role("button", name="Open").first.click()
    page.get_by_role("heading", name="A Rotterdam logistics firm wants a pilot").wait_for()
    assert page.get_by_text("5/5").is_visible()
    assert page.get_by_text("Sales called them; a pilot starts in May.").is_visible()
    assert page.get_by_role("link", name="Edit").count() == 0  # rated: no more edits
