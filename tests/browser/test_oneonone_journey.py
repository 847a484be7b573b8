"""Issue 23, items 4 and 5 in a real browser: an employee and their manager prepare a check-in on the shared agenda
and both say "We met", which records the check-in; a manager and HR use the horizon and start a next tour from it.
Each step checks what was saved, not only the message."""

import datetime
import re

import pytest

from meetings.models import PrivateNote, TalkingPoint
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour
from tours.models import CheckIn, Tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date.today()


def sign_out(page, name):
    page.get_by_role("button", name=name).click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


def say_we_met(page, status):
    for objective in ("Lead the migration", "Fund a conference a year"):
        page.locator("fieldset", has_text=objective).get_by_label(status).check()
    page.locator("#meeting").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="We met: record my side").click()


def test_employee_and_manager_meet_through_the_agenda(page, cast):
    """Rita (employee) and Mo (her manager): points from both, a private note, a point covered, "We met" twice."""
    tour = make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=100))
    due = tour.checkin_due_on
    sign_in(page, "report@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("link", name="1:1 workspace").click()
    page.get_by_role("heading", name=f"Check-in of {due:%-d %b %Y}").wait_for()
    page.get_by_label("Add a talking point").fill("The conference budget for next spring")
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_text("Added to the agenda.").wait_for()
    page.get_by_label("Notes for this meeting").fill("Ask Mo about the team lead opening")
    page.get_by_role("button", name="Save my notes").click()
    page.get_by_text("Your private notes are saved").wait_for()
    point = TalkingPoint.objects.get()
    assert (point.author, point.added_for, point.covered_for) == (cast.report.user, due, None)
    assert PrivateNote.objects.get().author == cast.report.user
    sign_out(page, "Rita Ortiz")

    sign_in(page, "manager@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("link", name="1:1 workspace").click()
    assert page.get_by_text("The conference budget for next spring", exact=True).is_visible()
    assert page.get_by_text("Ask Mo about the team lead opening").count() == 0  # Rita's note is hers alone
    page.get_by_label("Add a talking point").fill("Hiring for the platform team")
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_text("Added to the agenda.").wait_for()
    page.get_by_role("button", name=re.compile(r"^Mark covered\W+The conference budget")).click()
    page.get_by_role("button", name=re.compile(r"^Reopen\W+The conference budget")).wait_for()
    point.refresh_from_db()
    assert point.covered_for == due and point.covered_by == cast.manager.user
    met_on = TODAY - datetime.timedelta(days=1)
    page.get_by_label("We met on").fill(met_on.isoformat())
    say_we_met(page, "On track")
    page.get_by_text("Your side of the meeting is recorded").wait_for()
    manager_side = CheckIn.objects.get(tour=tour)
    assert (manager_side.side, manager_side.met_on, manager_side.due_on) == ("manager", met_on, due)
    sign_out(page, "Mo Nagy")

    sign_in(page, "report@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("link", name="1:1 workspace").click()
    assert page.get_by_label("We met on").input_value() == met_on.isoformat()  # the date Mo gave
    say_we_met(page, "At risk")
    page.get_by_text("Both sides have recorded the meeting").wait_for()
    assert sorted(CheckIn.objects.filter(tour=tour, due_on=due).values_list("side", "met_on")) == [
        ("employee", met_on),
        ("manager", met_on),
    ]
    tour.refresh_from_db()
    assert tour.checkin_due_on > due
    # The next agenda is open: the uncovered point carried over, the covered one with its meeting.
    page.get_by_role("heading", name=f"Check-in of {tour.checkin_due_on:%-d %b %Y}").wait_for()
    assert page.locator("#agenda").get_by_text("Hiring for the platform team", exact=True).is_visible()
    assert page.locator("#earlier li", has_text="The conference budget for next spring").is_visible()
    assert page.locator("#objectives").get_by_text("At risk").count() == 2  # each objective's last progress


def test_a_manager_starts_the_next_tour_from_the_horizon_and_hr_reads_it_by_department(page, cast):
    ending = make_tour(
        cast.report, state="agreed", start=TODAY - datetime.timedelta(days=700), end=TODAY + datetime.timedelta(days=20)
    )
    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("link", name="Horizon", exact=True).click()
    page.get_by_role("heading", name="The horizon").wait_for()
    assert page.get_by_role("img", name="Tours on a time line: the same rows as the table below").is_visible()
    assert page.get_by_role("row", name="Rita Ortiz").is_visible()
    page.get_by_role("button", name="Start the next-tour conversation with Rita Ortiz").click()
    page.get_by_text("A draft of the next tour, pre-filled from this one").wait_for()
    successor = Tour.objects.get(predecessor=ending)
    assert successor.state == Tour.State.DRAFT and successor.employee == cast.report
    assert page.url.endswith(successor.get_absolute_url())
    sign_out(page, "Mo Nagy")

    sign_in(page, "hr@test.example", PASSWORD)
    page.get_by_role("link", name="The horizon").click()
    page.get_by_role("link", name="Engineering").click()
    page.get_by_role("heading", name="The horizon").wait_for()
    assert page.get_by_label("Department").locator("option:checked").inner_text() == "Engineering"
    row = page.get_by_role("row", name="Rita Ortiz")
    assert row.get_by_role("link", name="Next tour").is_visible()  # the draft just started
    assert row.get_by_role("button").count() == 0
