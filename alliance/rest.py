"""The REST API's shared plumbing (Django REST framework): who a request is, pages, rate limits, ETags, errors.

Each app keeps its resources beside its views (alliance/api.py, tours/api.py, networks/api.py, alumni/api.py,
portal/api.py) and fetches through its own access helpers, exactly as the pages do; config/api.py routes them.

- **Who.** A bearer token (alliance.tokens) acts as its maker: `read` scope for GET/HEAD/OPTIONS, `write` for
  anything else. A missing or bad token is 401 with `WWW-Authenticate: Bearer`; a token without the scope is 403.
  The browser's session also works (the docs page's "Try it out"), with Django's CSRF check on writes.
- **Pages.** Cursor pagination (`?cursor=`, `?page_size=` up to 200): stable while rows are added, and no COUNT.
- **Rate limits.** Per token (a session: per user), reads and writes counted apart (settings.API_RATES), in
  Django's default cache: a local-memory cache is per process, so N processes allow up to N times the rate.
- **ETags.** A weak ETag from the body of every successful read; `If-None-Match` with it answers 304.
- **Errors.** A form's errors become a 400 with the messages per field (`non_field_errors` for the rest).
"""

import hashlib

from django.utils.cache import get_conditional_response
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, viewsets

from alliance.restauth import BearerTokenAuthentication, SessionAuthentication
from alliance.roles import roles_of


class BearerScheme(OpenApiAuthenticationExtension):
    """How the schema documents the token (Swagger UI's "Authorize" button asks for it)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token made on Your account (/account/)."}


class SignedInScheme(SessionScheme):
    """The browser's session, as the schema documents it (the docs page's "Try it out")."""

    target_class = SessionAuthentication


def etag_for(response):
    response.render()
    return 'W/"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'


class ApiViewSet(viewsets.GenericViewSet):
    """The base of every resource: ETags on reads. The access rules live in each app's access helpers."""

    # Ids are numbers of at most 18 digits (anything else is not found): a longer one overflows SQLite's integers.
    lookup_value_regex = "[0-9]{1,18}"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = etag_for(response)
            response["ETag"] = etag
            return get_conditional_response(request._request, etag=etag, response=response)
        return response

    @property
    def roles(self):
        return roles_of(self.request.user)

    def require(self, *roles, message):
        """As the pages' @require: 403 with the page's message unless the user holds one of these roles."""
        if not self.roles.any(*roles):
            raise exceptions.PermissionDenied(message)


def form_errors(*forms, prefix=None):
    """A 400 naming each field's problems: {"field": ["message", ...], "non_field_errors": [...]}."""
    errors = {}
    for form in forms:
        for field, messages in form.errors.items():
            key = "non_field_errors" if field == "__all__" else field
            if prefix:
                key = f"{prefix}.{key}"
            errors.setdefault(key, []).extend(str(m) for m in messages)
    return exceptions.ValidationError(errors)
