"""The API's plumbing (alliance.restauth, alliance.rest): tokens and scopes, the session with CSRF, cursor pages,
rate limits, ETags, and the OpenAPI schema."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from alliance import tokens
from alliance.models import ApiToken, ApiTokenUse
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_no_token_or_a_bad_one_is_401_with_a_bearer_challenge(client, cast):
    for headers in ({}, {"Authorization": "Bearer alli_" + "x" * 43}, {"Authorization": "Bearer nonsense"}):
        response = client.get("/api/v1/tours/", headers=headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert "detail" in response.json()


def test_a_read_token_reads_and_may_not_write(api, cast, world):
    response = api.post("/api/v1/checkins/", {"tour": world["tour"].pk}, as_="report", scopes=("read",))
    assert response.status_code == 403
    assert "write scope" in response.json()["detail"]
    assert api.get("/api/v1/tours/", as_="report").status_code == 200


def test_a_revoked_token_stops_at_once_and_every_use_is_recorded(client, cast):
    token, raw = tokens.issue(cast.report.user, name="script", scopes=["read"])
    auth = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/tours/?state=agreed", headers=auth, REMOTE_ADDR="10.1.2.3").status_code == 200
    use = ApiTokenUse.objects.get(token=token)
    assert (use.method, use.path, use.ip) == ("GET", "/api/v1/tours/", "10.1.2.3")
    tokens.revoke(token)
    assert client.get("/api/v1/tours/", headers=auth).status_code == 401


def test_a_use_from_an_address_that_is_not_one_is_recorded_without_it(client, cast, settings):
    """The use log's column is PostgreSQL's inet, which refuses anything else: the request must not fail over a
    strange REMOTE_ADDR or forwarded header (as the sign-in log)."""
    settings.BEHIND_TLS_PROXY = True
    token, raw = tokens.issue(cast.hr.user, name="Okta", scopes=["read", "scim"], kind="service")
    auth = {"Authorization": f"Bearer {raw}", "X-Forwarded-For": "10.0.0.1, not-an-address"}
    assert client.get("/api/v1/tours/", headers=auth).status_code == 200
    assert client.get("/scim/v2/Users", headers=auth).status_code == 200
    assert client.get("/api/v1/tours/", headers={**auth, "X-Forwarded-For": " ::1 "}).status_code == 200
    assert [use.ip for use in ApiTokenUse.objects.filter(token=token).order_by("pk")] == [None, None, "::1"]


def test_a_token_acts_with_its_makers_access_at_each_request(api, cast, world):
    assert api.get(f"/api/v1/tours/{world['tour'].pk}/", as_="report").status_code == 200
    cast.report_report.manager = cast.other
    cast.report_report.save()
    assert api.get(f"/api/v1/tours/{world['tour'].pk}/", as_="report").status_code == 404


def test_the_signed_in_browser_reads_and_writes_only_with_the_csrf_token(cast, world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alumnus.user)
    assert browser.get("/api/v1/alumni/me/").status_code == 200
    refused = browser.patch("/api/v1/alumni/me/", {"location": "Oslo"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF verification failed" in refused.json()["detail"]
    browser.get("/account/")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    saved = browser.patch(
        "/api/v1/alumni/me/", {"location": "Oslo"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert saved.status_code == 200
    world["listed"].refresh_from_db()
    assert world["listed"].location == "Oslo"


def test_cursor_pages_walk_every_row_once(api, cast):
    for _ in range(7):
        EmployeeFactory(manager=cast.report_report)
    seen, url = [], "/api/v1/people/?page_size=3"
    while url:
        page = api.get(url, as_="hr").json()
        seen += [p["id"] for p in page["results"]]
        assert "count" not in page
        url = page["next"]
    assert len(seen) == len(set(seen)) == 12  # the cast's five employed people and seven more


def test_a_bad_filter_is_a_400_naming_the_field(api, cast):
    response = api.get("/api/v1/tours/", as_="hr", data={"manager": "nobody-at-all", "ending_within": "-4"})
    assert response.status_code == 400
    assert set(response.json()) == {"manager", "ending_within"}
    assert api.get("/api/v1/insights/", as_="hr", data={"since": "2026-13-45"}).status_code == 400


def test_filters_are_the_pages(api, cast, world):
    assert [t["id"] for t in api.get("/api/v1/tours/", as_="hr", data={"state": "agreed"}).json()["results"]] == [
        world["tour"].pk
    ]
    assert api.get("/api/v1/tours/", as_="hr", data={"state": "draft"}).json()["results"] == []
    team = cast.other.team.pk
    assert [p["id"] for p in api.get("/api/v1/people/", as_="hr", data={"team": team}).json()["results"]] == [
        cast.other.pk
    ]


def test_reads_carry_an_etag_and_answer_304_when_unchanged(api, cast, world):
    first = api.get(f"/api/v1/tours/{world['tour'].pk}/", as_="report")
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = api.get(f"/api/v1/tours/{world['tour'].pk}/", as_="report", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    world["tour"].title = "Renamed"
    world["tour"].save()
    changed = api.get(f"/api/v1/tours/{world['tour'].pk}/", as_="report", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_rate_limits_count_per_token_and_answer_429(api, cast, settings):
    settings.API_RATES = {"read": "3/minute", "write": "1/minute"}
    statuses = [api.get("/api/v1/tours/", as_="report").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/tours/", as_="manager").status_code == 200  # another token, its own count
    _, second = tokens.issue(cast.report.user, name="second", scopes=["read"])
    assert api.client.get("/api/v1/tours/", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    assert ApiToken.objects.filter(user=cast.report.user).count() == 2


def test_the_schema_generates_without_a_warning(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=io.StringIO())
    assert "openapi: 3" in target.read_text()


def test_the_schema_is_served_as_json(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.") and "/api/v1/tours/{id}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made on Your account (/account/).",
    }
