"""API tokens: made on the account page or by `manage.py api_token`, stored hashed, shown once, scoped,
expiring, revocable, and every use recorded (alliance.tokens)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance import tokens
from alliance.models import ApiToken, ApiTokenUse
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash_and_works_for_its_scopes(cast):
    token, raw = tokens.issue(cast.report.user, name="export", scopes=["read"], days=30)
    assert raw.startswith("alli_") and len(raw) > 40
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert raw not in repr(list(ApiToken.objects.values()))
    assert token.prefix == raw[:11]
    used = tokens.authenticate(raw, scope="read", method="GET", path="/api/v1/people/", ip="10.0.0.1")
    assert used.user == cast.report.user
    with pytest.raises(tokens.Refused) as refused:
        tokens.authenticate(raw, scope="write")
    assert refused.value.status == 403
    use = ApiTokenUse.objects.get()
    assert (use.token, use.method, use.path, use.ip) == (token, "GET", "/api/v1/people/", "10.0.0.1")
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("raw", "why"),
    [("", "Not an"), ("Bearer x", "Not an"), ("alli_" + "x" * 43, "Unknown"), ("alli_" + "x" * 200, "Not an")],
)
def test_anything_but_a_live_token_is_refused_with_401(raw, why, cast):
    with pytest.raises(tokens.Refused) as refused:
        tokens.authenticate(raw, scope="read")
    assert refused.value.status == 401 and why in str(refused.value)


def test_expired_revoked_and_signed_out_tokens_stop_working(cast):
    expired, raw_expired = tokens.issue(cast.report.user, name="a", scopes=["read"])
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    revoked, raw_revoked = tokens.issue(cast.report.user, name="b", scopes=["read"])
    tokens.revoke(revoked)
    person = EmployeeFactory()
    _, raw_inactive = tokens.issue(person.user, name="c", scopes=["read"])
    person.user.is_active = False
    person.user.save()
    for raw, why in [(raw_expired, "expired"), (raw_revoked, "revoked"), (raw_inactive, "cannot sign in")]:
        with pytest.raises(tokens.Refused, match=why):
            tokens.authenticate(raw, scope="read")
    assert not ApiTokenUse.objects.exists()


def test_a_service_token_stops_with_its_makers_hr_role(cast):
    _, raw = tokens.issue(cast.hr.user, name="Okta", scopes=["scim"], kind="service")
    assert tokens.authenticate(raw, scope="scim").user == cast.hr.user
    cast.hr.user.groups.clear()
    cast.hr.user = type(cast.hr.user).objects.get(pk=cast.hr.user.pk)  # a fresh user: roles are per request
    with pytest.raises(tokens.Refused, match="no longer HR"):
        tokens.authenticate(raw, scope="scim")


@pytest.mark.parametrize(
    ("who", "fields", "error"),
    [
        ("report", {"name": " ", "scopes": ["read"]}, "name"),
        ("report", {"name": "x" * 101, "scopes": ["read"]}, "name"),
        ("report", {"name": "n", "scopes": []}, "scopes"),
        ("report", {"name": "n", "scopes": ["admin"]}, "scopes"),
        ("report", {"name": "n", "scopes": ["scim"]}, "scopes"),
        ("report", {"name": "n", "scopes": ["read"], "kind": "service"}, "kind"),
        ("report", {"name": "n", "scopes": ["read"], "days": 0}, "days"),
        ("report", {"name": "n", "scopes": ["read"], "days": 366}, "days"),
        ("hr", {"name": "n", "scopes": ["scim"], "kind": "personal"}, "scopes"),
        ("hr", {"name": "n", "scopes": ["read"], "kind": "service", "days": 731}, "days"),
    ],
)
def test_issue_refuses_with_a_message_per_field(cast, who, fields, error):
    with pytest.raises(ValidationError) as refused:
        tokens.issue(getattr(cast, who).user, **fields)
    assert error in refused.value.message_dict
    assert not ApiToken.objects.exists()


def test_bearer_reads_only_bearer_headers():
    assert tokens.bearer("Bearer alli_abc") == "alli_abc"
    assert tokens.bearer("bearer  alli_abc ") == "alli_abc"
    assert tokens.bearer("Basic dXNlcg==") is None
    assert tokens.bearer("Bearer ") is None
    assert tokens.bearer(None) is None


# The account page


def test_the_account_page_makes_a_token_and_shows_it_once(client_for, cast):
    client = client_for("report")
    response = client.post(reverse("token_create"), {"name": "My script", "scopes": ["read", "write"], "days": "30"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    token = ApiToken.objects.get(user=cast.report.user)
    assert (token.name, token.scopes, token.kind) == ("My script", "read,write", "personal")
    assert token.digest == tokens.digest(raw)
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(reverse("account")).content.decode()
    assert raw not in again and token.prefix in again and "My script" in again


def test_the_form_shows_what_is_wrong_and_makes_nothing(client_for, cast):
    client = client_for("report")
    response = client.post(reverse("token_create"), {"name": "", "scopes": ["scim"], "days": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["new_token"] is None
    assert "This field is required." in page
    assert "Select a valid choice. scim is not one of the available choices." in page
    assert not ApiToken.objects.exists()


def test_hr_makes_a_scim_service_token_and_every_hr_person_sees_it(client_for, cast):
    client = client_for("hr")
    client.post(reverse("token_create"), {"name": "Okta", "scopes": ["scim"], "days": "365", "kind": "service"})
    token = ApiToken.objects.get()
    assert (token.kind, token.scopes) == ("service", "scim")
    other_hr = EmployeeFactory(user__email="hr2@test.example")
    other_hr.user.groups.add(*cast.hr.user.groups.all())
    client.force_login(other_hr.user)
    assert "Okta" in client.get(reverse("account")).content.decode()
    assert client.get(reverse("token_revoke", args=[token.pk])).status_code == 200


def test_only_the_maker_or_hr_may_revoke_and_only_after_confirming(client_for, cast):
    mine, raw = tokens.issue(cast.report.user, name="mine", scopes=["read"])
    theirs, _ = tokens.issue(cast.manager.user, name="theirs", scopes=["read"])
    client = client_for("report")
    assert client.get(reverse("token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("token_revoke", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("token_revoke", args=[999_999])).status_code == 404
    confirm = client.get(reverse("token_revoke", args=[mine.pk]))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    mine.refresh_from_db()
    assert mine.revoked_at is None
    response = client.post(reverse("token_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    with pytest.raises(tokens.Refused):
        tokens.authenticate(raw, scope="read")
    # HR may not revoke someone's personal token either: it is theirs.
    assert client_for("hr").post(reverse("token_revoke", args=[theirs.pk])).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(reverse("account")).status_code == 302
    assert client.post(reverse("token_create"), {"name": "x"}).status_code == 302


def test_the_account_page_reads_its_tokens_in_one_query(client_for, cast):
    for n in range(30):
        tokens.issue(cast.hr.user, name=f"t{n}", scopes=["read"], kind="service" if n % 2 else "personal")
    client = client_for("hr")
    client.get(reverse("account"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("account"))
    tokens.issue(cast.hr.user, name="one more", scopes=["read"])
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("account"))
    assert len(more) == len(few) <= 8
    assert response.content.decode().count("Revoke<span") == 31


# The command


def test_the_command_prints_the_token_on_its_last_line(cast, capsys):
    call_command("api_token", "create", "--email", "REPORT@test.example", "--scopes", "read,write", "--days", "7")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    token = tokens.authenticate(raw, scope="write")
    assert token.user == cast.report.user
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=7)).date()
    call_command("api_token", "list", "--email", "report@test.example")
    assert token.prefix in capsys.readouterr().out
    call_command("api_token", "revoke", token.prefix)
    with pytest.raises(tokens.Refused, match="revoked"):
        tokens.authenticate(raw, scope="write")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--email", "nobody@test.example"], "No account"),
        (["create", "--email", "report@test.example", "--scopes", "scim"], "scim"),
        (["create", "--email", "report@test.example", "--days", "0"], "days"),
        (["revoke", "alli_nothing"], "No token"),
    ],
)
def test_the_command_explains_what_it_refuses(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
