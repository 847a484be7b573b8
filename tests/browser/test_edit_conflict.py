"""Issue 21 in a real browser: manager and employee edit the same draft at once, in two browsers. What only one
of them changed survives the other's save; what both changed waits for a choice; the signature names the
revision on the screen."""

import pytest

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def employee_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_two_people_editing_one_draft_lose_nothing(page, employee_page, cast):
    tour = make_tour(cast.report, state="draft")
    edit = f"/tours/{tour.pk}/edit/"
    manager, employee = page, employee_page
    sign_in(manager, "manager@test.example", PASSWORD)
    sign_in(employee, "report@test.example", PASSWORD)

    # Both open the same draft; the manager changes the mission and saves first.
    manager.goto(edit)
    employee.goto(edit)
    manager.locator("#id_mission").fill("Run the platform as a product.")
    manager.get_by_role("button", name="Save the draft").click()
    manager.get_by_text("Saved as revision 2.").wait_for()
    # The employee changes another term and saves the form opened on revision 1.
    employee.locator("#id_company_invests").fill("A coach, monthly.")
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_text("While you were editing").wait_for()
    assert employee.locator("#id_mission").input_value() == "Run the platform as a product."
    assert employee.locator("#id_company_invests").input_value() == "A coach, monthly."
    # Save again on the re-rendered form: the manager's mission is not reverted.
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_text("Saved as revision 3.").wait_for()
    tour.refresh_from_db()
    saved = tour.current_revision
    assert (saved.number, saved.mission, saved.company_invests) == (
        3,
        "Run the platform as a product.",
        "A coach, monthly.",
    )

    # Both change the title: the second saver must choose, and cannot save before choosing.
    manager.goto(edit)
    employee.goto(edit)
    manager.locator("#id_title").fill("Platform as a product")
    manager.get_by_role("button", name="Save the draft").click()
    manager.get_by_text("Saved as revision 4.").wait_for()
    employee.locator("#id_title").fill("Self-service platform")
    employee.locator("#id_employee_gets").fill("Product management experience.")
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_role("heading", name="You both changed these: choose which version to keep").wait_for()
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_text("choose which version to keep for each, then save").first.wait_for()
    assert tour.revisions.count() == 4  # refused: nothing saved without a choice
    employee.get_by_label("Keep theirs (revision 4)").check()
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_text("Saved as revision 5.").wait_for()
    saved = tour.revisions.get(number=5)
    assert (saved.title, saved.mission, saved.employee_gets, saved.company_invests) == (
        "Platform as a product",
        "Run the platform as a product.",
        "Product management experience.",
        "A coach, monthly.",
    )

    # Proposed and signed: the signature names the revision shown above the button.
    employee.goto(f"/tours/{tour.pk}/")
    employee.get_by_role("button", name="Propose to the other side").click()
    employee.get_by_role("button", name="Sign revision 5 as employee").click()
    employee.get_by_text("Signed. The tour is agreed once the other side signs").wait_for()
    assert list(tour.revisions.get(number=5).signatures.values_list("role", flat=True)) == ["employee"]


def test_one_adds_an_objective_the_other_edits_another_and_both_are_saved(page, employee_page, cast):
    """Objectives are matched by which objective they are, not by their row: the manager removes the first
    objective and adds one; the employee rewords the second and adds another. Nothing clashes and nothing is lost."""
    tour = make_tour(cast.report, state="draft")  # Lead the migration; Fund a conference a year
    edit = f"/tours/{tour.pk}/edit/"
    manager, employee = page, employee_page
    sign_in(manager, "manager@test.example", PASSWORD)
    sign_in(employee, "report@test.example", PASSWORD)
    manager.goto(edit)
    employee.goto(edit)

    manager.locator("#id_objectives-0-DELETE").check()
    manager.locator("#id_objectives-2-description").fill("Mentor a new hire")
    manager.get_by_role("button", name="Save the draft").click()
    manager.get_by_text("Saved as revision 2.").wait_for()

    employee.locator("#id_objectives-1-description").fill("Fund two conferences a year")
    employee.get_by_role("button", name="Add an objective").click()  # re-rendered, nothing saved
    employee.locator("#id_objectives-3-description").fill("Write the migration playbook")
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_text("While you were editing").wait_for()
    assert employee.get_by_role("heading", name="You both changed these: choose which version to keep").count() == 0
    employee.get_by_role("button", name="Save the draft").click()
    employee.get_by_text("Saved as revision 3.").wait_for()

    tour.refresh_from_db()
    saved = tour.current_revision
    assert saved.number == 3
    assert [(o.side, o.description) for o in saved.objectives.all()] == [
        ("company", "Fund two conferences a year"),
        ("employee", "Mentor a new hire"),
        ("employee", "Write the migration playbook"),
    ]
    # The reworded objective is the same objective as before, in every revision.
    first, second, third = (tour.revisions.get(number=n).objectives.all() for n in (1, 2, 3))
    assert second[0].identity == first[1].identity == third[0].identity
    assert third[1].identity == second[1].identity
