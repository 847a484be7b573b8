"""Who may call SCIM: an HR service token with the scim scope, and nothing else (no token, another scope, an HR
person's browser session, a revoked token); and the discovery documents an identity provider reads first."""

import datetime

import pytest
from django.utils import timezone

from alliance import tokens
from alliance.models import ApiToken, ApiTokenUse, Employee
from tests.scim.shapes import ENTERPRISE, SCIM_JSON, ScimClient, okta_user, patch

pytestmark = pytest.mark.django_db

EVERY_CALL = [
    ("GET", "ServiceProviderConfig", None),
    ("GET", "Schemas", None),
    ("GET", "Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", None),
    ("GET", "ResourceTypes", None),
    ("GET", "ResourceTypes/Group", None),
    ("GET", "Users?startIndex=1&count=100", None),
    ("GET", "Users/{id}", None),
    ("POST", "Users", okta_user()),
    ("PUT", "Users/{id}", okta_user(email="other@test.example", given="Oskar", family="Tamm")),
    ("PATCH", "Users/{id}", patch({"op": "replace", "value": {"active": False}})),
    ("DELETE", "Users/{id}", None),
    ("GET", "Groups", None),
    ("GET", "Groups/{team}", None),
]
# Who calls: no token; HR's tokens without the scim scope (a service token for an HRIS, HR's own personal one);
# another person's personal token; then the HR service token with scim, which is answered.
REFUSED = [
    ("no token", None, 401),
    ("HR service token, read and write", ("hr", "service", ["read", "write"]), 403),
    ("HR personal token, read and write", ("hr", "personal", ["read", "write"]), 403),
    ("a manager's personal token", ("manager", "personal", ["read", "write"]), 403),
]


def _refused(status, body, code):
    assert status == code, body
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"] and body["status"] == str(code)


@pytest.mark.parametrize(("method", "path", "body"), EVERY_CALL)
@pytest.mark.parametrize(("who", "token", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_every_call_is_refused_to_the_wrong_caller_and_answered_for_the_scim_token(
    scim, client, cast, method, path, body, who, token, code
):
    path = path.format(id=cast.other.pk, team=cast.other.team_id)
    wrong = scim
    if token is not None:
        role, kind, scopes = token
        _, raw = tokens.issue(getattr(cast, role).user, name="other", scopes=scopes, kind=kind)
        wrong = ScimClient(client, raw)
    status, answer = wrong.call(method, path, body, token=token is not None)
    _refused(status, answer, code)
    if code == 401:
        assert wrong.response["WWW-Authenticate"] == 'Bearer realm="scim"'
    assert wrong.response["Content-Type"] == SCIM_JSON
    assert not Employee.objects.filter(user__email="ada.lovelace@example.com").exists()
    assert Employee.objects.get(pk=cast.other.pk).departure_date is None
    status, answer = scim.call(method, path, body)
    assert status in (200, 201, 204), answer
    assert "no-store" in scim.response["Cache-Control"]
    assert scim.response["X-Content-Type-Options"] == "nosniff"
    if answer is not None:
        assert scim.response["Content-Type"] == SCIM_JSON


def test_a_scim_token_stops_when_its_maker_leaves_hr(scim, cast):
    assert scim.get("Users")[0] == 200
    cast.hr.user.groups.clear()
    _refused(*scim.get("Users"), 401)


def test_an_hr_browser_session_is_not_enough_scim_is_token_only(client_for, cast):
    client = client_for("hr")
    response = client.get("/scim/v2/Users")
    assert response.status_code == 401
    response = client.patch(
        f"/scim/v2/Users/{cast.other.pk}",
        '{"Operations": [{"op": "replace", "value": {"active": false}}]}',
        content_type=SCIM_JSON,
        headers={"Authorization": "Basic eDp5"},
    )
    assert response.status_code == 401
    assert Employee.objects.get(pk=cast.other.pk).departure_date is None


def test_revoked_expired_and_unknown_tokens_are_401_and_each_use_is_recorded(scim, client, cast):
    status, _ = scim.get("Users")
    assert status == 200
    use = ApiTokenUse.objects.get()
    assert (use.method, use.path) == ("GET", "/scim/v2/Users")
    token = ApiToken.objects.get()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _refused(*scim.get("Users"), 401)
    tokens.revoke(token)
    _refused(*scim.get("Users"), 401)
    _refused(*ScimClient(client, "alli_" + "x" * 43).get("Users"), 401)


def test_a_wrong_method_is_405_with_a_scim_body(scim):
    status, body = scim.call("DELETE", "Users")
    _refused(status, body, 405)
    status, body = scim.call("POST", "ServiceProviderConfig", {})
    _refused(status, body, 405)


def test_service_provider_config_resource_types_and_schemas(scim):
    status, config = scim.get("ServiceProviderConfig")
    assert status == 200
    assert config["patch"]["supported"] and config["filter"]["supported"] and not config["bulk"]["supported"]
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    status, types = scim.get("ResourceTypes")
    assert [t["id"] for t in types["Resources"]] == ["User", "Group"]
    assert types["Resources"][0]["schemaExtensions"][0]["schema"].endswith("enterprise:2.0:User")
    status, one = scim.get("ResourceTypes/User")
    assert status == 200 and one["endpoint"] == "/Users"
    status, schemas = scim.get("Schemas")
    enterprise = next(s for s in schemas["Resources"] if s["name"] == "EnterpriseUser")
    assert {a["name"] for a in enterprise["attributes"]} == {"employeeNumber", "department", "manager"}
    status, one = scim.get("Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
    assert status == 200 and one["name"] == "User"
    status, body = scim.get("Schemas/urn:nothing")
    _refused(status, body, 404)


@pytest.mark.parametrize(
    "path", ["Users/999999", "Users/abc", "Users/" + "9" * 40, "Groups/999999", "Users/²", "Groups/¹²"]
)
def test_unknown_ids_are_404_with_a_scim_body(scim, path):
    _refused(*scim.get(path), 404)


@pytest.mark.parametrize("path", ["Users/%00", "Schemas/a%00b", "ResourceTypes/%00"])
def test_a_nul_in_the_path_is_404_and_the_use_is_recorded_without_it(scim, path):
    """The use log's path is text, which PostgreSQL refuses with a NUL in it: the request must not fail over it."""
    _refused(*scim.get(path), 404)
    assert "\x00" not in ApiTokenUse.objects.get().path


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("not json", "invalidSyntax"),
        ("[1, 2]", "invalidSyntax"),
        ('{"userName": 5, "name": {"givenName": "A", "familyName": "B"}}', "invalidValue"),
        ('{"userName": "not-an-email", "name": {"givenName": "A", "familyName": "B"}}', "invalidValue"),
        ('{"userName": "a@example.com"}', "invalidValue"),
        ('{"userName": "a@example.com", "name": "A B"}', "invalidValue"),
        (
            '{"userName": "a@example.com", "name": {"givenName": "A", "familyName": "B"}, "active": "maybe"}',
            "invalidValue",
        ),
    ],  # fmt: skip
)
def test_bad_bodies_are_400_never_500_and_write_nothing(scim, cast, body, kind):
    before = Employee.objects.count()
    response = scim.client.post(
        "/scim/v2/Users", body, content_type=SCIM_JSON, headers={"Authorization": f"Bearer {scim.raw}"}
    )
    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == kind
    assert Employee.objects.count() == before


@pytest.mark.parametrize(
    "operations",
    [
        {"Operations": []},
        {"Operations": [{"op": "move", "path": "active", "value": False}]},
        {"Operations": [{"op": "remove"}]},
        {"Operations": [{"op": "replace", "value": "x"}]},
        {"Operations": "replace"},
    ],
)
def test_bad_patches_are_400(scim, cast, operations):
    status, body = scim.patch(f"Users/{cast.other.pk}", operations)
    _refused(status, body, 400)
    assert Employee.objects.get(pk=cast.other.pk).departure_date is None


HOSTILE = ["a\x00b", "x" * 5000, "", " ", None, True, 12, -(2**70), [], [1, 2], {}, {"value": None}, "9" * 40, "é" * 90]
HOSTILE += ["²", "١٢"]  # digits to str.isdigit() (superscript, Arabic-Indic), not all of them to int()
PATHS = [
    "userName",
    "externalId",
    "title",
    "name",
    "name.givenName",
    "name.familyName",
    "emails",
    'emails[type eq "work"].value',
    "active",
    f"{ENTERPRISE}:employeeNumber",
    f"{ENTERPRISE}:department",
    f"{ENTERPRISE}:manager",
    ENTERPRISE,
]


@pytest.mark.parametrize("path", PATHS)
def test_hostile_values_in_every_attribute_are_answered_never_500(scim, cast, path):
    """Each hostile value, by PATCH (with the path and path-less) and in a PUT: a SCIM answer, never a 500; a
    refused request leaves the person as they were."""
    other = Employee.objects.get(pk=cast.other.pk)
    for value in HOSTILE:
        for body in (
            patch({"op": "replace", "path": path, "value": value}),
            patch({"op": "add", "value": {path: value}}),
        ):
            status, answer = scim.patch(f"Users/{other.pk}", body)
            assert status in (200, 400, 409), (path, value, status, answer)
            if status != 200:
                assert Employee.objects.get(pk=other.pk).updated_at == other.updated_at
        status, answer = scim.put(f"Users/{other.pk}", {path: value})
        assert status in (200, 400, 409), (path, value, status, answer)
        status, answer = scim.post("Users", {**okta_user(), path: value})
        assert status in (201, 400, 409), (path, value, status, answer)
        other = Employee.objects.get(pk=other.pk)


@pytest.mark.parametrize(
    "filter_",
    ['userName eq "\x00"', 'userName eq "' + "x" * 400 + '"', 'id eq "' + "9" * 40 + '"', "active eq 12", '"']
    + ['id eq "²"', 'id eq "¹²"'],
)
def test_hostile_filters_are_answered_never_500(scim, filter_):
    status, body = scim.search("Users", filter=filter_)
    assert status in (200, 400), body
    status, body = scim.search("Groups", filter=filter_)
    assert status in (200, 400), body


def test_a_body_nested_thousands_deep_is_400(scim):
    response = scim.client.post(
        "/scim/v2/Users", "[" * 100_000, content_type=SCIM_JSON, headers={"Authorization": f"Bearer {scim.raw}"}
    )
    assert response.status_code == 400
