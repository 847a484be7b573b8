"""In a real browser: HR offboards an employee with an invitation, the link from the email is
followed, a password is set, the alumna updates her employer and joins the directory, and HR sees
the change in the roster."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from alumni import departures as alumni_departures
from alumni.models import AlumniProfile
from tests.browser.test_tour_journey import sign_out
from tests.conftest import sign_in
from tests.factories import PASSWORD, EmployeeFactory, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offboard_invite_join_update_and_hr_sees_it(page, cast):
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto(f"/people/{cast.report_report.pk}/")
    page.get_by_role("link", name="Record a departure").click()
    page.get_by_label("Departure date").fill(datetime.date.today().isoformat())
    page.get_by_label("Resigned mid-tour").check()
    page.get_by_label("Exit conversation notes").fill("Leaving to build a company. Parting on good terms.")
    page.get_by_label("Rehire eligibility (HR only)").select_option(label="Eligible for rehire")
    page.get_by_role("button", name="Record the departure").click()
    page.get_by_text("departure is recorded. An invitation to the alumni network is on its way.").wait_for()
    sign_out(page, "Hana Rees")

    link = re.search(r"http://\S+(/alumni/invitation/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.locator("#id_new_password1").fill("a-long-new-secret-42")
    page.locator("#id_new_password2").fill("a-long-new-secret-42")
    page.get_by_role("button", name="Set my password and join").click()
    page.get_by_text("Welcome to the alumni network").wait_for()
    page.get_by_role("link", name="Update my profile").click()
    page.get_by_label("Current employer").fill("Initech")
    page.get_by_label("List me in the alumni directory").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your profile is up to date").wait_for()
    sign_out(page, "Ravi Rao")

    sign_in(page, "hr@test.example", PASSWORD)
    page.goto("/alumni/")
    page.get_by_label("Employer").fill("Initech")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row", name=re.compile("Ravi Rao"))
    assert row.is_visible() and "Initech" in row.inner_text()


def test_alumna_deletes_her_account_and_her_manager_sees_an_anonymous_tour(page, cast):
    """Issue 12: after the deletion her old manager's tour page and notifications still open,
    and show 'Former employee #…' where her name was."""
    zed = EmployeeFactory(
        first_name="Zenobia",
        last_name="Quillfeather",
        manager=cast.manager,
        user__email="zenobia.q@test.example",
        user__first_name="Zenobia",
        user__last_name="Quillfeather",
    )
    tour = make_tour(zed, state="agreed", start=datetime.date.today() - datetime.timedelta(days=100))
    alumni_departures.offboard(
        employee=zed,
        by=cast.hr.user,
        departure_date=datetime.date.today(),
        reason="resigned",
        exit_notes="",
        company_kept="yes",
        employee_kept="yes",
        invite=False,
    )
    AlumniProfile.objects.filter(employee=zed).update(joined_at=timezone.now())

    sign_in(page, "zenobia.q@test.example", PASSWORD)
    page.goto("/alumni/me/delete/")
    page.get_by_text("the words of your tours, check-ins and comments").wait_for()
    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.get_by_role("button", name="Delete my account for good").click()
    page.get_by_role("heading", name="Your account is deleted").wait_for()

    sign_in(page, "manager@test.example", PASSWORD)
    page.goto(f"/tours/{tour.pk}/")
    page.get_by_text(f"Former employee #{zed.pk}").first.wait_for()
    assert "Zenobia" not in page.content()
    page.goto("/notifications/")
    page.get_by_text(f"An update on a tour of Former employee #{zed.pk}").first.wait_for()
    assert "Zenobia" not in page.content()


def test_a_departure_recorded_in_two_tabs_is_recorded_once(page, cast):
    sign_in(page, "hr@test.example", PASSWORD)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    second = page.context.new_page()
    for tab in (page, second):
        tab.goto(f"/alumni/leave/{cast.report_report.pk}/")
        tab.get_by_label("Departure date").fill(tomorrow.isoformat())
        tab.get_by_label("Resigned mid-tour").check()
    page.get_by_role("button", name="Record the departure").click()
    page.get_by_text("departure is recorded").wait_for()
    second.get_by_role("button", name="Record the departure").click()
    second.get_by_text(f"Ravi Rao already has a departure recorded on {tomorrow:%d %b %Y}.").wait_for()
    # One departure, with the wish to invite; the invitation goes out on the departure date, not before.
    assert list(cast.report_report.departures.values_list("departure_date", "invite")) == [(tomorrow, True)]
    assert len(mail.outbox) == 0
