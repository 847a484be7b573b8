"""A new hire's first day in a real browser, from nothing: HR adds them (by the form, or by a CSV import), the
email with a sign-in link arrives, they choose a password, land signed in, and can sign in again later.
The seeded accounts of the other journeys never go through this door; a person hired next week does."""

import re
from pathlib import Path

import pytest
from django.core import mail

from alliance.models import Employee
from tests.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "employees-sample.csv"
NEW_PASSWORD = "a long first-day passphrase 42"


def link_in(message):
    """The link's path: the email names the configured site address, the test server has its own."""
    return re.search(r"https?://[^/\s]+(/accounts/activate/\S+/)", message.body).group(1)


def first_sign_in(chromium, live_server, url):
    """The new hire opens the link in their own browser (no cookies of HR's) and chooses a password."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("heading", name="Welcome,", exact=False).wait_for()
    page.get_by_label("New password").first.fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password and sign in").click()
    page.get_by_text("Your password is set and you are signed in.").wait_for()
    return context, page


def test_hr_adds_a_person_who_signs_in_on_their_first_day(page, chromium, live_server, cast):
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto("/people/new/")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Email").fill("Nadia.Haddad@Example.org")
    page.get_by_label("Employee number").fill("N-001")
    page.get_by_label("Job title").fill("Data Engineer")
    page.get_by_role("combobox", name="Manager").fill(cast.manager.employee_number)
    page.get_by_label("Hire date").fill("2026-12-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Nadia Haddad is added. A sign-in link is on its way to them.").wait_for()
    assert page.get_by_text("Not activated", exact=False).first.is_visible()

    (message,) = mail.outbox
    assert message.to == ["nadia.haddad@example.org"]
    context, own = first_sign_in(chromium, live_server, link_in(message))
    try:
        own.get_by_role("button", name="Nadia Haddad").wait_for()  # her name in the navigation: signed in
        assert own.url.rstrip("/") == live_server.url
        # The link worked once; opened again it says why not and what to do.
        own.goto(link_in(message))
        own.get_by_role("heading", name="This sign-in link cannot be used").wait_for()
        own.get_by_text("has already been used").wait_for()
        # Next morning: the ordinary sign-in page takes the password she chose.
        own.context.clear_cookies()
        sign_in(own, "nadia.haddad@example.org", NEW_PASSWORD)
        own.get_by_role("button", name="Nadia Haddad").wait_for()
    finally:
        context.close()
    nadia = Employee.objects.get(employee_number="N-001")
    assert nadia.manager == cast.manager and nadia.user.has_usable_password()


def test_people_imported_from_a_csv_get_their_links_and_sign_in(page, chromium, live_server, cast):
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto("/people/import/")
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Preview").click()
    rows = SAMPLE.read_text().count("\n") - 1
    page.get_by_role("button", name=f"Import {rows} rows").click()
    page.get_by_text(f"Import done: {rows} added, 0 updated, 0 unchanged.").wait_for()
    page.get_by_text(f"{rows} of the {rows} people added have not chosen a password yet.").wait_for()

    grace = next(m for m in mail.outbox if m.to == ["grace.okafor@example.org"])
    assert len(mail.outbox) == rows
    context, _ = first_sign_in(chromium, live_server, link_in(grace))
    context.close()
    page.reload()
    page.get_by_text(f"{rows - 1} of the {rows} people added have not chosen a password yet.").wait_for()
