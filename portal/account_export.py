"""The part of a person's export (portal.privacy.export) about their account's ways in: API tokens, the calendar
feed link, second factors, identity-provider links, email addresses, the one-time links emailed to them (sign-in
links, alumni invitations), the sign-in log, and notifications; and, read in the same query, the signatures they put
on tours (their own and, as a manager, their reports') and the events they attended.

Never a secret: no token, token hash or prefix, no calendar feed key or URL, no second factor's data (a TOTP secret,
a passkey, recovery codes), no identity provider's claims or tokens, no one-time link's token or its hash. What
each row has is named below, in SECTIONS.

All of it is read in one UNION query (every table here is keyed by the user, the one-time links by the employee
record): the export is held to the pages' query budget (tests/test_query_budget.py). Each table's row is shaped to
the same columns: a kind, TEXTS texts and DATES datetimes, then turned back into named keys. The API tokens' use
log (ApiTokenUse, every request with its address) is not exported row by row: it can be long; each token's last
use is."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Case, DateTimeField, F, Q, TextField, Value, When
from django.db.models.functions import Cast, Now

from alliance.models import ApiToken, Notification, SignInLink
from alumni.models import Invitation
from calendars.models import CalendarFeed
from networks.models import Attendance
from signin.models import SignInEvent
from tours.models import Signature

TEXTS, DATES = 4, 4

# kind: (the export's key, the names of its texts, the names of its datetimes)
SECTIONS = {
    "api_tokens": (("name", "kind", "scopes", "state"), ("created", "last_used", "expires", "revoked")),
    "calendar_feed": ((), ("created",)),
    "second_factors": (("type",), ("created", "last_used")),
    "identity_provider_accounts": (("provider", "uid"), ("linked", "last_sign_in")),
    "email_addresses": (("email", "verified", "primary"), ()),
    "sign_in_links": ((), ("created", "expires", "used", "revoked")),
    "alumni_invitations": ((), ("created", "expires", "used", "revoked")),
    "sign_in_log": (("event", "method", "detail", "ip_address"), ("at",)),
    "notifications": (("message",), ("created_at", "read_at")),
    "tour_signatures": (("tour", "revision", "signed_as"), ("signed_at",)),
    "events_attended": (("event", "kind", "date", "self_reported"), ()),
}


def _text(value):
    return Cast(F(value) if isinstance(value, str) else value, output_field=TextField())


def _yes(condition):
    return Case(When(condition, then=Value("yes")), default=Value("no"), output_field=TextField())


def _shaped(queryset, kind, texts=(), dates=()):
    """The rows of `queryset` as (kind, id, TEXTS texts, DATES datetimes), NULL where a table has fewer."""
    columns = {"x_kind": Value(kind, output_field=TextField()), "x_id": F("pk")}
    for i in range(TEXTS):
        columns[f"x_t{i}"] = _text(texts[i]) if i < len(texts) else Value(None, output_field=TextField())
    for i in range(DATES):
        columns[f"x_d{i}"] = F(dates[i]) if i < len(dates) else Value(None, output_field=DateTimeField())
    return queryset.order_by().annotate(**columns).values_list(*columns)


def _token_state():
    """ApiToken.state, in the query (revoked, else expired, else active)."""
    return Case(
        When(revoked_at__isnull=False, then=Value("revoked")),
        When(expires_at__lte=Now(), then=Value("expired")),
        default=Value("active"),
        output_field=TextField(),
    )


def account_export(user):
    """The sections above, each a list of dicts newest first (calendar_feed: the one link, or None)."""
    parts = [
        _shaped(
            ApiToken.objects.filter(user=user),
            "api_tokens",
            ("name", "kind", "scopes", _token_state()),
            ("created_at", "last_used_at", "expires_at", "revoked_at"),
        ),
        _shaped(CalendarFeed.objects.filter(user=user), "calendar_feed", (), ("created_at",)),
        _shaped(Authenticator.objects.filter(user=user), "second_factors", ("type",), ("created_at", "last_used_at")),
        _shaped(
            SocialAccount.objects.filter(user=user),
            "identity_provider_accounts",
            ("provider", "uid"),
            ("date_joined", "last_login"),
        ),
        _shaped(
            EmailAddress.objects.filter(user=user),
            "email_addresses",
            ("email", _yes(Q(verified=True)), _yes(Q(primary=True))),
        ),
        # The links themselves are the tokens (only their hash is stored): when each was made, used or closed.
        _shaped(
            SignInLink.objects.filter(employee__user=user),
            "sign_in_links",
            (),
            ("created_at", "expires_at", "used_at", "revoked_at"),
        ),
        _shaped(
            Invitation.objects.filter(employee__user=user),
            "alumni_invitations",
            (),
            ("created_at", "expires_at", "used_at", "revoked_at"),
        ),
        # Her own entries only: a failed attempt typed with her address but no account behind it may be anyone's.
        _shaped(SignInEvent.objects.filter(user=user), "sign_in_log", ("kind", "method", "detail", "ip"), ("at",)),
        _shaped(Notification.objects.filter(user=user), "notifications", ("message",), ("created_at", "read_at")),
        _shaped(
            Signature.objects.filter(signer=user),
            "tour_signatures",
            ("revision__tour__title", "revision__number", "role"),
            ("signed_at",),
        ),
        _shaped(  # newest recorded first; the event's date is a date, not a moment: a text ("2026-05-01")
            Attendance.objects.filter(employee__user=user),
            "events_attended",
            ("event__title", "event__kind", "event__date", _yes(Q(self_reported=True))),
        ),
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("x_kind", F("x_d0").desc(nulls_last=True), "-x_id")
    found = {kind: [] for kind in SECTIONS}
    for kind, _pk, *values in rows:
        texts, dates = SECTIONS[kind]
        row = dict(zip(texts, values[:TEXTS], strict=False))
        row |= {name: (when.isoformat() if when else None) for name, when in zip(dates, values[TEXTS:], strict=False)}
        found[kind].append(row)
    for row in found["api_tokens"]:
        row["scopes"] = [s for s in (row["scopes"] or "").split(",") if s]
    for row in found["sign_in_log"]:
        row["event"] = SignInEvent.Kind(row["event"]).label if row["event"] in SignInEvent.Kind.values else row["event"]
        if row["ip_address"]:  # PostgreSQL's inet cast to text carries the mask ("192.0.2.1/32")
            row["ip_address"] = row["ip_address"].split("/")[0]
    for row in found["email_addresses"]:
        row["verified"], row["primary"] = row["verified"] == "yes", row["primary"] == "yes"
    for row in found["tour_signatures"]:
        row["revision"] = int(row["revision"])
    for row in found["events_attended"]:
        row["self_reported"] = row["self_reported"] == "yes"
    found["calendar_feed"] = found["calendar_feed"][0] if found["calendar_feed"] else None
    return found
