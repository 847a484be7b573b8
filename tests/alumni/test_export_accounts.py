"""Download my data: the account's ways in (API tokens, calendar feed, second factors, identity-provider links,
addresses, sign-in log) and the identity provider's id are in the person's copy, with no secret of any of them,
and nothing of anyone else's."""

import datetime
import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance import tokens
from alliance.models import ApiToken, Employee
from calendars.models import CalendarFeed
from signin.models import SignInEvent

TOTP_SECRET = "JBSWY3DPEHPK3PXPTOTPSECRET"
RECOVERY_SEED = "recoveryseed0123456789abcdef"
IDP_CLAIM = "claim-only-the-idp-holds"


def _download(client):
    response = client.get(reverse("alumni:me_export"))
    assert response.status_code == 200
    return response.content.decode(), json.loads(response.content)


def _hers(cast):
    """Her tokens (one used and revoked), feed, factors, IdP link, addresses and sign-ins; the secrets of each."""
    user = cast.alumnus.user
    Employee.objects.filter(pk=cast.alumnus.pk).update(external_id="00u-alumna-42")
    kept, kept_raw = tokens.issue(user, name="weekly export", scopes=["read"], days=30)
    old, old_raw = tokens.issue(user, name="old script", scopes=["read", "write"])
    tokens.authenticate(old_raw, scope="read", ip="198.51.100.9")
    tokens.revoke(old)
    feed = CalendarFeed.objects.create(user=user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": RECOVERY_SEED})
    SocialAccount.objects.create(user=user, provider="openid_connect", uid="idp-uid-7", extra_data={"x": IDP_CLAIM})
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    SignInEvent.objects.create(kind="signed_in", user=user, email=user.email, method="password", ip="203.0.113.5")
    secrets = [
        kept_raw,
        old_raw,
        kept.digest,
        old.digest,
        kept.prefix,
        feed.key,
        feed.secret,
        reverse("calendars:feed", args=[feed.secret]),
        TOTP_SECRET,
        RECOVERY_SEED,
        IDP_CLAIM,
    ]
    return {"kept": kept, "old": old, "feed": feed, "secrets": secrets}


def _someone_elses(cast):
    user = cast.report.user
    token, raw = tokens.issue(user, name="report's own token", scopes=["read"])
    feed = CalendarFeed.objects.create(user=user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"secret": "report-passkey"})
    SocialAccount.objects.create(user=user, provider="google", uid="report-uid")
    SignInEvent.objects.create(kind="signed_in", user=user, email=user.email, method="SSO", ip="192.0.2.77")
    # A failure typed with her address, no account behind it: whoever typed it, not her own entry.
    SignInEvent.objects.create(kind="failed", email=cast.alumnus.user.email, method="password", ip="192.0.2.99")
    return [raw, token.digest, token.name, feed.secret, "report-passkey", "report-uid", "192.0.2.77", "192.0.2.99"]


def test_the_export_holds_her_tokens_feed_sign_in_methods_and_log(cast, client_for):
    hers = _hers(cast)
    body, data = _download(client_for("alumnus"))
    assert data["employee"]["external_id"] == "00u-alumna-42"
    kept, old = hers["kept"], hers["old"]
    old.refresh_from_db()
    assert data["api_tokens"] == [  # newest first
        {
            "name": "old script",
            "kind": "personal",
            "scopes": ["read", "write"],
            "state": "revoked",
            "created": old.created_at.isoformat(),
            "last_used": old.last_used_at.isoformat(),
            "expires": old.expires_at.isoformat(),
            "revoked": old.revoked_at.isoformat(),
        },
        {
            "name": "weekly export",
            "kind": "personal",
            "scopes": ["read"],
            "state": "active",
            "created": kept.created_at.isoformat(),
            "last_used": None,
            "expires": kept.expires_at.isoformat(),
            "revoked": None,
        },
    ]
    assert data["calendar_feed"] == {"created": hers["feed"].created_at.isoformat()}
    assert sorted(f["type"] for f in data["second_factors"]) == ["recovery_codes", "totp"]
    assert all(set(f) == {"type", "created", "last_used"} and f["created"] for f in data["second_factors"])
    [link] = data["identity_provider_accounts"]
    assert (link["provider"], link["uid"]) == ("openid_connect", "idp-uid-7") and link["linked"]
    assert data["email_addresses"] == [{"email": cast.alumnus.user.email, "verified": True, "primary": True}]
    # Newest first: the test client's own sign-in (recorded by force_login), then the one made above.
    assert [(e["event"], e["method"], e["ip_address"]) for e in data["sign_in_log"]] == [
        ("Signed in", "sign-in link", None),
        ("Signed in", "password", "203.0.113.5"),
    ]
    assert all(e["at"] for e in data["sign_in_log"])
    for secret in hers["secrets"]:
        assert secret not in body, secret
    assert '"digest"' not in body and '"key"' not in body and '"data"' not in body


def test_an_expired_token_says_so(cast, client_for):
    token, _ = tokens.issue(cast.alumnus.user, name="lapsed", scopes=["read"], days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    _, data = _download(client_for("alumnus"))
    assert [(t["name"], t["state"]) for t in data["api_tokens"]] == [("lapsed", "expired")]


def test_nothing_of_anyone_elses_is_in_her_export(cast, client_for):
    _hers(cast)
    theirs = _someone_elses(cast)
    body, data = _download(client_for("alumnus"))
    for value in theirs:
        assert value not in body, value
    assert [t["name"] for t in data["api_tokens"]] == ["old script", "weekly export"]
    assert [e["ip_address"] for e in data["sign_in_log"]] == [None, "203.0.113.5"]  # None: the client's sign-in


def test_without_any_of_them_the_sections_are_empty(cast, client_for):
    _, data = _download(client_for("alumnus"))
    assert data["employee"]["external_id"] is None
    assert data["calendar_feed"] is None
    for key in ("api_tokens", "second_factors", "identity_provider_accounts", "email_addresses"):
        assert data[key] == [], key
    assert [e["method"] for e in data["sign_in_log"]] == ["sign-in link"]  # the test client's sign-in only


def _queries(client):
    client.get(reverse("alumni:me_export"))  # the first request after sign-in also stamps the session
    with CaptureQueriesContext(connection) as captured:
        _download(client)
    return len(captured)


def test_the_account_sections_cost_one_query_however_many_rows(cast, client_for):
    """One UNION for all of them (portal/account_export.py): with none of them, the export already reads the
    notifications that UNION now carries, so filling every section adds no query (the page budget stays 12)."""
    client = client_for("alumnus")
    before = _queries(client)
    _hers(cast)
    _someone_elses(cast)
    assert _queries(client) == before


def test_only_an_alumnus_downloads_one(cast, client_for):
    _hers(cast)
    for role in ("hr", "manager", "report", "other"):
        response = client_for(role).get(reverse("alumni:me_export"))
        assert response.status_code == 403, role
        assert "weekly export" not in response.content.decode(), role
    assert client_for("anonymous").get(reverse("alumni:me_export")).status_code in (302, 403)
