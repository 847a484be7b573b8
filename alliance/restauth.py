"""The REST API's classes that DRF's settings name (REST_FRAMEWORK in config/settings.py): authentication,
pagination and rate limits. Apart from alliance.rest because DRF imports these while it is itself being
imported: this module may import no DRF views (alliance.rest has the views' base). See alliance.rest."""

from django.conf import settings
from rest_framework import authentication, exceptions, pagination, throttling
from rest_framework.permissions import SAFE_METHODS

from alliance import tokens
from alliance.security import client_ip


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer alli_…`: the token's maker, within the token's scopes. Every use is recorded."""

    def authenticate(self, request):
        raw = tokens.bearer(request.META.get("HTTP_AUTHORIZATION"))
        if raw is None:
            return None  # no bearer header: perhaps a session, else anonymous (401 from the permission)
        scope = "read" if request.method in SAFE_METHODS else "write"
        try:
            token = tokens.authenticate(
                raw, scope=scope, method=request.method, path=request.path, ip=client_ip(request)
            )
        except tokens.Refused as refused:
            if refused.status == 403:
                raise exceptions.PermissionDenied(str(refused)) from None
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser (the docs page). A write needs the CSRF token, refused in Django's own words."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            reason = str(refused.detail).removeprefix("CSRF Failed: ")
            raise exceptions.PermissionDenied(f"CSRF verification failed. {reason}") from None


class Cursor(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"  # unique, so a cursor never skips or repeats a row

    def decode_cursor(self, request):
        """A cursor is base64 that anyone can write: a position that is not an id is an invalid cursor (404), not
        a ValueError in the query (500)."""
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor else None
        if position is not None and not (position.isascii() and position.isdigit() and len(position) <= 18):
            raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor


class _RateThrottle(throttling.SimpleRateThrottle):
    """One bucket per token (two tokens of one person are counted apart) or, for a session, per user."""

    def get_rate(self):
        return settings.API_RATES[self.scope]  # read on each request, so settings overrides apply

    def allow_request(self, request, view):
        if (request.method in SAFE_METHODS) != (self.scope == "read"):
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, tokens.ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return f"api-throttle-{self.scope}-{ident}"


class ReadThrottle(_RateThrottle):
    scope = "read"


class WriteThrottle(_RateThrottle):
    scope = "write"
