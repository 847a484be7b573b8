"""In a real browser: HR adds a webhook endpoint (a private address refused first), an employee's action reaches a
real receiver signed, HR reads the delivery log, disables and deletes the endpoint; an employee makes, uses, resets
and turns off their calendar link and downloads a tour's dates. Each step checks what was saved."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from calendars.models import CalendarFeed
from tests.browser.test_tour_journey import sign_out
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour
from webhooks.models import Endpoint, Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def uids(body):
    return {str(e["uid"]) for e in Calendar.from_ical(body).walk("VEVENT")}


def test_hr_adds_an_endpoint_and_a_proposal_reaches_the_receiver_signed(page, cast, receiver):
    tour = make_tour(cast.report_report)
    sign_in(page, "hr@test.example", PASSWORD)
    page.get_by_role("button", name="Hana Rees").click()
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_role("link", name="Add an endpoint").click()
    page.get_by_label("URL").fill("http://10.0.0.5/hook")
    page.get_by_label("Description").fill("HRIS sync")
    page.get_by_label("Tour proposed").check()
    page.get_by_label("Tour signed", exact=False).check()
    page.get_by_role("button", name="Add the endpoint").click()
    page.get_by_text("resolves to a private, loopback or link-local address").wait_for()
    assert not Endpoint.objects.exists()
    page.get_by_label("URL").fill(receiver.url())
    page.get_by_role("button", name="Add the endpoint").click()
    page.get_by_role("heading", name="Signing secret: copy it now").wait_for()
    secret = page.locator("#webhook-secret").inner_text()
    endpoint = Endpoint.objects.get()
    assert endpoint.secret == secret and endpoint.events == ["tour.proposed", "tour.signed"]
    assert endpoint.description == "HRIS sync" and endpoint.created_by == cast.hr.user
    receiver.secret = secret
    sign_out(page, "Hana Rees")

    sign_in(page, "rr@test.example", PASSWORD)
    page.goto(tour.get_absolute_url())
    page.get_by_role("button", name="Propose to the other side").click()
    page.get_by_text("Proposed", exact=True).first.wait_for()
    sign_out(page, "Ravi Rao")
    assert [(r.payload["type"], r.verified) for r in receiver.received] == [("tour.proposed", True)]
    assert receiver.received[0].payload["data"]["id"] == tour.pk
    assert Message.objects.get().delivered_at is not None

    sign_in(page, "hr@test.example", PASSWORD)
    page.goto(endpoint.get_absolute_url())
    assert page.get_by_text("Delivered").first.is_visible()
    assert page.get_by_text("HTTP 200").is_visible()
    assert page.get_by_text(secret).count() == 0  # shown once
    page.get_by_role("button", name="Disable").click()
    page.get_by_role("button", name="Enable").wait_for()
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("heading", name="Delete this endpoint?").wait_for()
    page.get_by_role("button", name="Delete").click()
    page.get_by_text("No endpoints yet.").wait_for()
    assert not Endpoint.objects.exists() and not Message.objects.exists()


def test_an_employee_subscribes_resets_and_turns_off_their_calendar_and_adds_a_tour(page, cast):
    start = datetime.date.today() - datetime.timedelta(days=100)
    tour = make_tour(cast.report_report, state="agreed", start=start, end=start + datetime.timedelta(days=365))
    sign_in(page, "report@test.example", PASSWORD)
    page.get_by_role("button", name="Rita Ortiz").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("button", name="Make my calendar link").click()
    page.get_by_text("Your calendar link is ready").wait_for()
    first = urlsplit(page.get_by_label("Your private calendar link").input_value()).path
    feed = CalendarFeed.objects.get(user=cast.report.user)
    assert first == f"/calendar/{feed.secret}.ics"
    assert page.get_by_text("Google Calendar").is_visible()
    response = page.request.get(first)
    assert response.status == 200 and f"tour-{tour.pk}-checkin@localhost" in uids(response.body())

    page.get_by_role("button", name="Reset the link").click()
    page.get_by_text("Your calendar link is reset").wait_for()
    second = urlsplit(page.get_by_label("Your private calendar link").input_value()).path
    assert second != first and CalendarFeed.objects.get(user=cast.report.user).key != feed.key
    assert page.request.get(first).status == 404 and page.request.get(second).status == 200

    page.get_by_role("button", name="Turn the feed off").click()
    page.get_by_role("button", name="Make my calendar link").wait_for()
    assert not CalendarFeed.objects.exists()
    assert page.request.get(second).status == 404

    page.goto(tour.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    body = Path(download.value.path()).read_bytes()
    assert {f"tour-{tour.pk}-end@localhost", f"tour-{tour.pk}-checkin@localhost"} <= uids(body)
