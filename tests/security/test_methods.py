"""Every URL pattern of the project: a GET changes nothing (and a view that only changes state answers
405), and every POST without a CSRF token is refused by the CSRF check, whoever is signed in."""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security import world as w

# Views that only change state: a GET is refused with 405. Every other view renders (or redirects) on GET,
# and test_get_changes_nothing proves that doing so writes nothing.
POST_ONLY = {
    "token_create",
    "account_logout",
    "notification_open",
    "notification_read_all",
    "account_mail",
    "people:import_apply",
    "people:import_send_links",
    "people:import_retry",
    "people:send_link",
    "people:undo_departure",
    "tours:propose",
    "tours:sign",
    "tours:comment",
    "tours:plan_next",
    "meetings:point_add",
    "meetings:point_cover",
    "meetings:point_delete",
    "meetings:note_save",
    "meetings:we_met",
    "networks:event_attend",
    "alumni:referral_status",
    "alumni:invite",
    "webhooks:toggle",
    "calendars:link",
    "logout",
    "admin:logout",
}
# Token-only endpoints (SCIM): a session, however privileged, is no credential there, so there is no CSRF to check:
# a GET or POST with only a session cookie answers 401 (405 for a method the endpoint lacks) and writes nothing.
TOKEN_ONLY = ("scim:",)
# Django admin pages that need parameters a plain GET lacks, or that do not exist.
GET_STATUS = {"admin:autocomplete": 403, "admin catch-all": 404}
# django-axes' records are written by sign-ins only: its admin refuses to add them by hand.
GET_STATUS.update({f"admin:axes_{model}_add": 403 for model in ("accessattempt", "accesslog", "accessfailurelog")})
# A tour's record (revisions, check-ins) and the worker's queue are read-only in the admin (tours/admin.py).
GET_STATUS.update(
    {f"admin:tours_{model}_{view}": 403 for model in ("tourrevision", "checkin") for view in ("add", "delete")}
)
GET_STATUS.update({"admin:tours_tour_add": 403, "admin:tours_tour_delete": 403})
GET_STATUS.update({f"admin:django_tasks_database_dbtaskresult_{view}": 403 for view in ("add", "delete")})
# Company sign-in: SSO is off in the test settings (no provider app), so its login and callback are 404 there
# (tests/signin/ turns it on); allauth answers its "sign-in failed" page with 401.
GET_STATUS.update({"openid_connect_login": 404, "openid_connect_callback": 404, "socialaccount_login_error": 401})


# Statements that cannot change a row: the test's snapshot is taken again after any other.
READS = re.compile(r"\s*(SELECT\b|SAVEPOINT\b|RELEASE SAVEPOINT\b|ROLLBACK TO SAVEPOINT\b)", re.IGNORECASE)


def snapshot():
    """Every row of every table but the sessions (a GET may touch the visitor's own session) and HR's
    dashboard figures (a cache: a GET may refresh it)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model is not Session
    }


def clients(cast, **kwargs):
    """A client per role, signed in before any snapshot (signing in records the time of the last sign-in)."""
    result = {}
    for role in ("hr", "manager", "report", "report_report", "other", "alumnus", "anonymous"):
        result[role] = Client(**kwargs)
        if role != "anonymous":
            result[role].force_login(getattr(cast, role).user)
    return result


@pytest.fixture
def everything(cast, client):
    world = w.build(cast, client)
    return world, w.urls(world)


def test_every_pattern_has_a_url(everything):
    world, urls = everything
    assert len(urls) == len(list(w.patterns())) > 200
    assert {label for label, _, _ in urls} >= POST_ONLY


def test_get_changes_nothing(everything):
    world, urls = everything
    problems = []
    client = clients(world.cast)
    before = snapshot()
    for label, path, role in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client[role].get(path)
        expected = 405 if label in POST_ONLY else 401 if label.startswith(TOKEN_ONLY) else GET_STATUS.get(label)
        if expected and response.status_code != expected or not expected and response.status_code not in (200, 302):
            problems.append(f"GET {path} ({label}, as {role}): {response.status_code}")
        if all(READS.match(query["sql"]) for query in captured):
            continue  # only reads (and savepoints) ran: no row can have changed, so no need to compare every table
        after = snapshot()
        if after != before:
            changed = [table for table in after if after[table] != before.get(table)]
            problems.append(f"GET {path} ({label}, as {role}) changed {changed}")
            before = after
    assert not problems, "\n".join(problems)


def test_post_without_csrf_token_is_refused(everything):
    world, urls = everything
    problems = []
    client = clients(world.cast, enforce_csrf_checks=True)
    before = snapshot()
    for label, path, role in urls:
        response = client[role].post(path, {"confirm": "DELETE"})
        if label == "healthz" and response.status_code == 405:
            continue  # the GET-only probe answers before the CSRF check (alliance.middleware): a POST is refused
        if label.startswith(TOKEN_ONLY):
            if response.status_code not in (401, 405):
                problems.append(f"POST {path} ({label}, as {role}), token only: {response.status_code}")
            continue
        if response.status_code != 403 or b"CSRF verification failed" not in response.content:
            problems.append(f"POST {path} ({label}, as {role}): {response.status_code}")
    assert snapshot() == before
    assert not problems, "\n".join(problems)


def test_the_same_post_with_a_token_gets_through(everything):
    """The refusal above is the CSRF check's: with the token, an allowed POST is carried out."""
    world, _ = everything
    client = clients(world.cast, enforce_csrf_checks=True)["hr"]
    client.get("/tours/")  # the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/tours/{world.tour.pk}/comment/", {"body": "With a token", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert world.tour.comments.filter(body="With a token").exists()
