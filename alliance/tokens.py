"""API tokens: how a script, an HRIS or an identity provider signs in without a browser.

A token is `alli_` followed by 43 random characters, sent as `Authorization: Bearer <token>`. Only its SHA-256
is stored (the token has 256 bits of randomness, so a fast hash is enough: nothing to guess from a dump); the
person sees it once, when it is made. A token acts as the account that made it, with that account's access at
the moment of each request (the same access helpers as the pages decide what it reads), and only within its
scopes: `read`, `write` (what the person may change on the pages) and `scim` (provisioning people from an
identity provider; HR's service tokens only). Every token expires; each one can be revoked from the account page
or `manage.py api_token revoke`. Every use is recorded (ApiTokenUse) and its last use is shown beside it.

Personal tokens are for a person's own scripts. Service tokens are made by HR for a system (the HRIS, Okta's
SCIM client); they are listed for every HR person, so one who stays can revoke those of one who left, and they
stop working with their maker's HR role.

Defined here rather than in models.py (which imports them, so Django registers them with the app)."""

import datetime
import hashlib
import ipaddress
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from alliance.roles import roles_of

PREFIX = "alli_"
SCOPES = {
    "read": "Read: everything you can see on the pages",
    "write": "Write: what you can change on the pages (record a check-in, draft a tour, your alumni profile)",
    "scim": "SCIM: create, change and end people from the identity provider (HR service tokens only)",
}
DEFAULT_DAYS = 90
MAX_DAYS = {"personal": 365, "service": 730}


def digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The tokens a person may see and revoke: their own, and, for HR, every service token."""
        if not user.is_authenticated:
            return self.none()
        mine = Q(user=user)
        if roles_of(user).hr:
            mine |= Q(kind=ApiToken.Kind.SERVICE)
        return self.filter(mine)

    def live(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal"
        SERVICE = "service", "Service"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “weekly export” or “Okta SCIM”.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    scopes = models.CharField(max_length=40, help_text="Comma-separated: read, write, scim.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_list(self):
        return [s for s in self.scopes.split(",") if s]

    @property
    def state(self):
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"


class ApiTokenUse(models.Model):
    """One request made with a token: the audit of its use."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "-at"], name="apitokenuse_token_at_idx")]

    def __str__(self):
        return f"{self.method} {self.path} at {self.at:%Y-%m-%d %H:%M}"


def allowed_scopes(user, kind):
    """The scopes this account may put on a token of this kind."""
    if kind == ApiToken.Kind.SERVICE:
        return list(SCOPES) if roles_of(user).hr else []
    return ["read", "write"]


def issue(user, *, name, scopes, days=DEFAULT_DAYS, kind=ApiToken.Kind.PERSONAL):
    """Make a token; returns (token, the secret to show once). Raises ValidationError with a message for
    each field that is wrong."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Give the token a name, so you know later what it is for."
    elif len(name) > 100:
        errors["name"] = "The name can be at most 100 characters."
    if kind not in ApiToken.Kind.values:
        errors["kind"] = "A token is personal or a service token."
    elif kind == ApiToken.Kind.SERVICE and not roles_of(user).hr:
        errors["kind"] = "Only HR can make service tokens."
    scopes = sorted(set(scopes), key=list(SCOPES).index) if set(scopes) <= set(SCOPES) else None
    if not scopes:
        errors["scopes"] = f"Pick at least one scope from: {', '.join(SCOPES)}."
    elif "kind" not in errors and not set(scopes) <= set(allowed_scopes(user, kind)):
        errors["scopes"] = "The scim scope is for HR's service tokens only."
    limit = MAX_DAYS.get(kind, MAX_DAYS["personal"])
    if not isinstance(days, int) or not 1 <= days <= limit:
        errors["days"] = f"A {kind} token lasts from 1 to {limit} days."
    if not user.is_active:
        errors["user"] = "This account cannot sign in, so it cannot have tokens."
    if errors:
        raise ValidationError(errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        kind=kind,
        scopes=",".join(scopes),
        prefix=raw[: len(PREFIX) + 6],
        digest=digest(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, raw


def revoke(token):
    """Revoke a token (a second revocation keeps the first date)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


class Refused(Exception):
    """A token was sent but cannot be used. `status` is 401 (not a working token) or 403 (a working token
    without the scope for this request)."""

    def __init__(self, message, status=401):
        super().__init__(message)
        self.status = status


def bearer(header):
    """The token in an `Authorization: Bearer …` header, or None if the header is not a bearer one."""
    kind, _, value = (header or "").partition(" ")
    return value.strip() if kind.lower() == "bearer" and value.strip() else None


def authenticate(raw, *, scope, method="GET", path="", ip=None):
    """The token for this secret, if it may be used for `scope` now; records the use. Raises Refused."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        raise Refused("Not an Alliance API token.")
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
    if token is None:
        raise Refused("Unknown API token.")
    if token.state != "active":
        raise Refused(f"This API token is {token.state}.")
    if not token.user.is_active:
        raise Refused("The account of this API token cannot sign in.")
    if token.kind == ApiToken.Kind.SERVICE and not roles_of(token.user).hr:
        raise Refused("This service token's maker is no longer HR; make a new one.")
    if scope not in token.scope_list:
        raise Refused(f"This API token does not have the {scope} scope.", status=403)
    now = timezone.now()
    with transaction.atomic():
        # A NUL (an escaped %00 in the URL) would fail the insert on PostgreSQL: it is left out of the record.
        path = path.replace("\x00", "")[:300]
        ApiTokenUse.objects.create(token=token, at=now, method=method[:10], path=path, ip=_address(ip))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def _address(ip):
    """The client's address when it is one: the use log's column is PostgreSQL's inet, which refuses anything else,
    and a request must never fail over a strange REMOTE_ADDR or forwarded header."""
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None
