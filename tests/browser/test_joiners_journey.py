"""Issue 21 in a real browser: a person hired to start in two weeks, from the day HR adds them to their first
day (the clock is moved in the test process, which the live server shares), and a boomerang whose return
is scheduled."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from alliance.models import Employee
from alumni import services as alumni_services
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
START = TODAY + datetime.timedelta(days=14)
NEW_PASSWORD = "a long first-day passphrase 42"


def test_a_future_hire_gets_a_welcome_and_their_first_tour_then_everything_on_day_one(
    page, chromium, live_server, cast, monkeypatch
):
    sign_in(page, "hr@test.example", PASSWORD)
    page.goto("/people/new/")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Berg")
    page.get_by_label("Email").fill("nina@example.org")
    page.get_by_label("Employee number").fill("N-100")
    page.get_by_role("combobox", name="Manager").fill(cast.manager.employee_number)
    page.get_by_label("Hire date").fill(START.isoformat())
    page.get_by_text("emails the person a sign-in link").wait_for()  # the page says what happens
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Nina Berg is added. A sign-in link is on its way to them.").wait_for()
    page.get_by_text(f"Starts on {START:%d %b %Y}").first.wait_for()
    nina = Employee.objects.get(employee_number="N-100")
    assert nina.hire_date == START and not nina.is_active_on()
    tour = make_tour(nina, state="draft", start=START, title="Nina's first tour")

    # Nina, at home before her first day: the link from the email, a password, the welcome page.
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/activate/\S+/)", message.body).group(1)
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    own = context.new_page()
    try:
        own.goto(link)
        own.get_by_label("New password").first.fill(NEW_PASSWORD)
        own.get_by_label("New password confirmation").fill(NEW_PASSWORD)
        own.get_by_role("button", name="Set my password and sign in").click()
        own.get_by_text(f"You start on {START:%-d %B %Y}").wait_for()
        own.get_by_role("link", name="Nina's first tour").click()
        own.get_by_role("heading", name="Nina's first tour").wait_for()
        assert own.get_by_text("Make the platform self-service.").first.is_visible()
        assert own.get_by_role("link", name="Change the terms").count() == 0  # reading only
        assert own.get_by_role("link", name="Network").count() == 0
        assert own.goto("/networks/").status == 403
        # Her first day: the same session now has what every employee has.
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: START)
        own.goto(f"/tours/{tour.pk}/")
        own.get_by_role("link", name="Change the terms").wait_for()
        assert own.goto("/networks/").status == 200
    finally:
        context.close()
    nina.refresh_from_db()
    assert nina.user.has_usable_password() and nina.is_active_on(START)


def test_a_scheduled_rehire_shows_when_and_as_what_and_changes_on_that_day(
    page, chromium, live_server, cast, monkeypatch
):
    alma = cast.alumnus
    back = TODAY + datetime.timedelta(days=10)
    sign_in(page, "hr@test.example", PASSWORD)
    # HR rehires her through the page, with Rita (cast.report) as her new manager.
    page.goto(f"/alumni/{alma.alumni_profile.pk}/rehire/")
    page.get_by_label("Starts on").fill(back.isoformat())
    page.get_by_role("combobox", name="Manager").fill(cast.report.employee_number)
    page.get_by_label("Job title").fill("Lead")
    page.get_by_role("button", name=re.compile("Rehire")).click()
    page.get_by_text(f"Alma Udo rejoins on {back:%d %b %Y}").wait_for()
    page.get_by_text("their draft first tour, “Welcome back”, is made for the two of them to agree").wait_for()
    page.goto(alma.get_absolute_url())
    page.get_by_text(f"Rejoins on {back:%d %b %Y} as Lead").wait_for()
    alma.refresh_from_db()
    assert alma.manager == cast.manager and alma.job_title != "Lead"  # nothing changes before the day
    assert page.get_by_role("link", name=re.compile("Welcome back")).count() == 0  # no tour the old manager could edit
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: back)
    alumni_services.rehires_apply()
    page.reload()
    page.get_by_text("Active").first.wait_for()
    alma.refresh_from_db()
    assert (alma.manager, alma.job_title) == (cast.report, "Lead")
    # Her first tour is her new manager's to agree with her: Rita may change its terms.
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        rita = context.new_page()
        sign_in(rita, "report@test.example", PASSWORD)
        rita.goto("/tours/")
        rita.get_by_role("link", name="Welcome back, Alma").click()
        rita.get_by_role("link", name="Change the terms").wait_for()
    finally:
        context.close()
