"""Issue 23, item 3 in a real browser: a manager chooses a daily digest on the account page, the employee records a
check-in, and the manager finds it in the notification centre next to the same items the digest email lists."""

import datetime
import re

import pytest
from django.core import mail

from alliance.models import User
from tests.browser.test_tour_journey import sign_out
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.test_digest import overdue_tour
from tours.digest_mail import send_digests
from tours.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_chooses_a_daily_digest_and_finds_the_check_in_in_both(page, cast):
    tour = overdue_tour(cast.report, title="Lead the data platform")

    # The manager sets the preference on the account page.
    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("button", name="Mo Nagy").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("heading", name="Your account").wait_for()
    assert page.get_by_label("Weekly digest: one email a week").is_checked()
    page.get_by_label("Daily digest: one email a day").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. Email: daily digest: one email a day.").wait_for()
    assert User.objects.get(email="manager@test.example").mail == User.Mail.DAILY
    sign_out(page, "Mo Nagy")

    # The employee records the check-in that is overdue.
    sign_in(page, "report@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("link", name="Check in").click()
    page.get_by_role("heading", name="Check in").wait_for()
    statuses = page.locator("input[type=radio][value=on_track]")
    for n in range(statuses.count()):
        statuses.nth(n).check()
    page.locator("input[name=other_side_keeping][value=yes]").check()
    page.locator("#id_note").fill("The migration is on track.")
    page.get_by_role("button", name="Record the check-in").click()
    page.get_by_text("Check-in recorded.").wait_for()
    checkin = CheckIn.objects.get(tour=tour)
    assert (checkin.side, checkin.due_on, checkin.note) == (
        "employee",
        tour.checkin_due_on,
        "The migration is on track.",
    )
    assert mail.outbox == []  # the manager chose a daily digest: no email for the check-in itself
    sign_out(page, "Rita Ortiz")

    # The day's digest goes out (cron's send_digests); the manager opens the notification centre.
    assert send_digests() >= 1
    [digest] = [m for m in mail.outbox if m.to == ["manager@test.example"]]
    assert digest.subject.startswith("Your Alliance daily digest")
    sign_in(page, "manager@test.example", PASSWORD)
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.get_by_role("heading", name="Needs your attention").wait_for()
    # Every item of the email (a line "- text" followed by its absolute link) is on the page, linking to the same
    # page: the digest's items as links, the check-in notice in the list of notifications.
    lines = re.findall(r"^- (.+)\n  (http\S+)$", digest.body, flags=re.MULTILINE)
    assert len(lines) == 2
    due = f"{tour.checkin_due_on:%d %b %Y}"
    assert lines[0][0] == f"“Lead the data platform” (Rita Ortiz): check-in overdue since {due}"
    notice = f"Rita Ortiz checked in on “Lead the data platform” (due {due}). Yours for that date is still to do."
    assert lines[1][0] == notice
    item = page.get_by_role("link", name=lines[0][0])
    assert item.get_attribute("href") == tour.get_absolute_url() and lines[0][1].endswith(tour.get_absolute_url())
    notification = page.get_by_role("listitem").filter(has_text=lines[1][0])
    assert notification.is_visible() and "New" in notification.inner_text()  # the notification, unread
    # Following the item leads to the tour, where the manager's own check-in is still to do.
    item.click()
    page.get_by_role("heading", name="Lead the data platform").wait_for()
    assert page.get_by_role("link", name="Check in").is_visible()
    # A second run that day sends nothing more.
    mail.outbox.clear()
    send_digests(datetime.date.today())
    assert [m for m in mail.outbox if m.to == ["manager@test.example"]] == []


def test_with_email_off_a_proposal_to_sign_still_comes_at_once(page, cast):
    from alliance import notifications
    from tests.factories import make_tour

    with notifications.muted():
        tour = make_tour(cast.report, title="Run the design system")
    sign_in(page, "report@test.example", PASSWORD)
    page.get_by_role("button", name="Rita Ortiz").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_label("Off: no digest and no reminders by email").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. Email: off").wait_for()
    assert User.objects.get(email="report@test.example").mail == User.Mail.OFF
    sign_out(page, "Rita Ortiz")

    sign_in(page, "manager@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("button", name="Propose to the other side").click()
    page.get_by_text("Proposed. The other side has been told").wait_for()
    tour.refresh_from_db()
    assert tour.state == "proposed"
    assert [(m.to, m.subject) for m in mail.outbox] == [(["report@test.example"], "A tour of duty was proposed to you")]
