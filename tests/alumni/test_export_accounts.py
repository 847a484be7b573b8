"""Download my data: the account's ways in (API tokens, calendar feed, second factors, identity-provider links,
addresses, the sign-in links and alumni invitations emailed to them, sign-in log), what they signed, the events they
attended and the identity provider's id are in the person's copy, with no secret of any of them, and nothing of
anyone else's."""

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
from alliance.models import ApiToken, Employee, SignInLink, hash_token
from alumni.models import Invitation
from calendars.models import CalendarFeed
from networks.models import Attendance, Event
from signin.models import SignInEvent
from tests.factories import make_tour
from tours.models import Signature

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
    for key in (
        "api_tokens",
        "second_factors",
        "identity_provider_accounts",
        "email_addresses",
        "sign_in_links",
        "alumni_invitations",
        "tour_signatures",
        "events_attended",
    ):
        assert data[key] == [], key
    assert [e["method"] for e in data["sign_in_log"]] == ["sign-in link"]  # the test client's sign-in only


def test_the_links_emailed_to_her_are_in_it_by_their_dates_never_their_tokens(cast, client_for):
    """Her sign-in link from her first day and her alumni invitations (a first one revoked by a resend, the one she
    used) are data held about her: when each was made, expired, used or revoked. A link's token is her way in and
    only its hash is stored: neither is in the file, nor anyone else's links."""
    now = timezone.now()
    day = datetime.timedelta(days=1)

    def link(model, employee, token, made, **dates):
        return model.objects.create(
            employee=employee,
            token_hash=hash_token(token),
            sent_by=cast.hr.user,
            created_at=now - made * day,
            expires_at=now - made * day + 14 * day,
            **dates,
        )

    alma = cast.alumnus
    first_day = link(SignInLink, alma, "signin-token-of-alma", 900, used_at=now - 899 * day)
    resent = link(Invitation, alma, "first-invitation-token", 5, revoked_at=now - 2 * day)
    used = link(Invitation, alma, "used-invitation-token", 2, used_at=now - day)
    link(SignInLink, cast.report, "signin-token-of-report", 30)
    link(Invitation, cast.other, "invitation-token-of-other", 3)
    body, data = _download(client_for("alumnus"))

    def dates(row):
        return {
            name: (getattr(row, f"{name}_at").isoformat() if getattr(row, f"{name}_at") else None)
            for name in ("created", "expires", "used", "revoked")
        }

    assert data["sign_in_links"] == [dates(first_day)]
    assert data["alumni_invitations"] == [dates(used), dates(resent)]  # newest first
    for token in (
        "signin-token-of-alma",
        "first-invitation-token",
        "used-invitation-token",
        "signin-token-of-report",
        "invitation-token-of-other",
    ):
        assert token not in body and hash_token(token) not in body, token
    assert "token_hash" not in body and cast.hr.user.email not in body  # nor who sent them: HR's own data


def test_her_signatures_and_the_events_she_attended_are_in_it_and_no_one_elses(cast, client_for):
    """What she signed (as a manager, before she left: her report's tour) and which events she went to, with whether
    she reported it herself; a colleague's signature and attendance are not in her file."""
    tour = make_tour(cast.report, state="draft", title="Open the Lisbon office")
    signed = Signature.objects.create(revision=tour.current_revision, role="manager", signer=cast.alumnus.user)
    Signature.objects.create(revision=tour.current_revision, role="employee", signer=cast.report.user)
    meetup = Event.objects.create(
        title="Platform meetup", kind="attended", date=datetime.date(2026, 5, 1), created_by=cast.hr.user
    )
    dinner = Event.objects.create(title="Alumni dinner", date=datetime.date(2026, 6, 2), created_by=cast.hr.user)
    Attendance.objects.create(event=meetup, employee=cast.alumnus, self_reported=True)
    Attendance.objects.create(event=dinner, employee=cast.alumnus)
    secret_party = Event.objects.create(
        title="Report-only offsite", date=datetime.date(2026, 7, 3), created_by=cast.hr.user
    )
    Attendance.objects.create(event=secret_party, employee=cast.report)
    body, data = _download(client_for("alumnus"))
    assert data["tour_signatures"] == [
        {
            "tour": "Open the Lisbon office",
            "revision": 1,
            "signed_as": "manager",
            "signed_at": signed.signed_at.isoformat(),
        }
    ]
    assert data["events_attended"] == [  # newest recorded first
        {"event": "Alumni dinner", "kind": "hosted", "date": "2026-06-02", "self_reported": False},
        {"event": "Platform meetup", "kind": "attended", "date": "2026-05-01", "self_reported": True},
    ]
    assert "Report-only offsite" not in body


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
    for employee in (cast.alumnus, cast.report):  # the one-time links, hers and someone else's
        SignInLink.objects.create(
            employee=employee, token_hash=hash_token(f"t{employee.pk}"), expires_at=timezone.now()
        )
        Invitation.objects.create(
            employee=employee, token_hash=hash_token(f"i{employee.pk}"), sent_by=cast.hr.user, expires_at=timezone.now()
        )
    tour = make_tour(cast.report, state="draft")
    Signature.objects.create(revision=tour.current_revision, role="manager", signer=cast.alumnus.user)
    for n in range(3):
        event = Event.objects.create(title=f"Event {n}", date=datetime.date(2026, 1, n + 1), created_by=cast.hr.user)
        Attendance.objects.create(event=event, employee=cast.alumnus)
    assert _queries(client) == before


def test_only_an_alumnus_downloads_one(cast, client_for):
    _hers(cast)
    for role in ("hr", "manager", "report", "other"):
        response = client_for(role).get(reverse("alumni:me_export"))
        assert response.status_code == 403, role
        assert "weekly export" not in response.content.decode(), role
    assert client_for("anonymous").get(reverse("alumni:me_export")).status_code in (302, 403)
