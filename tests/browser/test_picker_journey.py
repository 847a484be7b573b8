"""The person picker in a real browser: HR picks a manager with the keyboard, and the same form works
without JavaScript from an employee number."""

import pytest

from tests.conftest import sign_in
from tests.factories import PASSWORD, EmployeeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_picks_a_manager_with_the_keyboard(page, cast):
    EmployeeFactory(first_name="Moira", last_name="Kent")  # a second "Mo": the arrow key has to choose
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto(f"/people/{cast.other.pk}/edit/")
    field = page.get_by_role("combobox", name="Manager")
    field.fill("")
    field.press_sequentially("Mo")
    page.get_by_role("status").filter(has_text="2 people found.").wait_for()
    listbox = page.get_by_role("listbox", name="Matching people")
    assert listbox.get_by_role("option").count() == 2
    assert field.get_attribute("aria-expanded") == "true"
    field.press("ArrowDown")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == listbox.get_by_role("option").nth(1).get_attribute("id")
    assert listbox.get_by_role("option", selected=True).inner_text().startswith("Mo Nagy")
    field.press("Enter")  # picks; does not submit the form
    assert field.input_value() == f"Mo Nagy ({cast.manager.employee_number})"
    assert listbox.is_hidden() and field.get_attribute("aria-expanded") == "false"
    # Escape closes the suggestions without choosing.
    field.press_sequentially("x")
    field.fill("Mo")
    field.press("End")
    field.press_sequentially("i")
    page.get_by_role("status").filter(has_text="1 person found.").wait_for()
    field.press("Escape")
    assert listbox.is_hidden()
    field.fill(f"Mo Nagy ({cast.manager.employee_number})")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Oskar Tamm", exact=True).wait_for()
    cast.other.refresh_from_db()
    assert cast.other.manager == cast.manager


def test_without_javascript_the_manager_field_takes_an_employee_number(chromium, live_server, cast):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, "hr@test.example", PASSWORD)
        page.goto(f"/people/{cast.other.pk}/edit/")
        field = page.get_by_label("Manager")
        assert field.get_attribute("role") is None  # a plain text field
        field.fill("Nobody Here")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("No one matches “Nobody Here”.").wait_for()
        page.get_by_label("Manager").fill(cast.manager.employee_number)
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name="Oskar Tamm", exact=True).wait_for()
        cast.other.refresh_from_db()
        assert cast.other.manager == cast.manager
    finally:
        context.close()
