"""The API's docs page (/api/v1/docs/): a person follows the link on their account page, Swagger UI (served by
the app) renders under the site's Content Security Policy without a violation, and "Try it out" runs as them:
an alumna updates her profile and a manager records a check-in, the writes carrying the CSRF token, and what
they sent is what the database holds."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alumni.models import AlumniProfile
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour
from tours.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page):
    """Every console message and page error: a CSP violation is reported there ("Refused to …")."""
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def open_docs(page, name):
    page.get_by_role("button", name=name).click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="the Alliance API").click()
    page.wait_for_url("**/api/v1/docs/")
    page.locator(".swagger-ui .info .title").get_by_text("Alliance API").wait_for()


def try_it_out(page, operation, body):
    block = page.locator(f"#operations-{operation}")
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.locator("textarea.body-param__text").fill(json.dumps(body))
    block.get_by_role("button", name="Execute").click()
    return block.locator(".live-responses-table").first  # the server's answer: its status and body


def test_an_alumna_updates_her_profile_from_the_docs_page(page, cast):
    console = watch_console(page)
    sign_in(page, "alumnus@test.example", PASSWORD)
    open_docs(page, "Alma Udo")
    assert page.title() == "Alliance API · Alliance"
    status = try_it_out(page, "alumni-alumni_me_partial_update", {"location": "Lisbon", "mentoring": True})
    expect(status).to_contain_text("200")
    profile = AlumniProfile.objects.get(employee=cast.alumnus)
    assert (profile.location, profile.mentoring) == ("Lisbon", True)
    assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m or "pageerror" in m]


def test_a_manager_records_a_check_in_from_the_docs_page(page, cast):
    tour = make_tour(cast.report_report, state="agreed", start=timezone.localdate() - datetime.timedelta(days=100))
    objectives = list(tour.agreed_revision.objectives.all())
    console = watch_console(page)
    sign_in(page, "report@test.example", PASSWORD)
    open_docs(page, "Rita Ortiz")
    body = {
        "tour": tour.pk,
        "other_side_keeping": "yes",
        "note": "On track from the manager's side",
        "progress": [{"objective": o.pk, "status": "on_track", "note": ""} for o in objectives],
    }
    expect(try_it_out(page, "checkins-checkins_create", body)).to_contain_text("201")
    checkin = CheckIn.objects.get(tour=tour)
    assert (checkin.side, checkin.author, checkin.note) == ("manager", cast.report.user, body["note"])
    assert checkin.progress.count() == len(objectives)
    assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m or "pageerror" in m]
