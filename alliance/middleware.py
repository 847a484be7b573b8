"""The app's own middleware: the load balancer's probe, no caching of personal data, idle sign-out, roles."""

import time

from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from alliance.roles import roles_of
from alliance.views.pages import healthz

REFRESH_SECONDS = 60
KEY = "_alliance_seen"


class IdleTimeoutMiddleware:
    """A session ends after SESSION_COOKIE_AGE seconds without a request. Saving the session pushes
    its expiry forward; rather than save on every request (SESSION_SAVE_EVERY_REQUEST, one UPDATE and
    one commit per page), it is saved when a minute has passed since the last time. So the idle
    timeout is exact to within a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            if now - session.get(KEY, 0) >= REFRESH_SECONDS:
                session[KEY] = now
        response = self.get_response(request)
        # A request that writes the session anyway (signing in) stamps it too, so the page it redirects
        # to (the dashboard) does not write it again a moment later: one UPDATE and commit fewer.
        if session.modified and not session.is_empty():
            session[KEY] = int(time.time())
        return response


class HealthCheckMiddleware:
    """Answers the load balancer's probe of `/healthz` before anything checks the Host header: a balancer probes
    each app server by its address, over plain HTTP (SECURE_REDIRECT_EXEMPT spares it the HTTPS redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page and export the app itself answers holds someone's personal data, or a form with a CSRF token:
    no browser or proxy may keep a copy (`Cache-Control: no-store`). Static files (whitenoise) answer earlier and
    keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class RolesMiddleware:
    """`request.roles`: the signed-in user's roles as one value (alliance.roles.Roles), for views and templates.
    Lazy, so a request that never reads it (a static file, the probe) never loads the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.roles = SimpleLazyObject(lambda: roles_of(request.user))
        return self.get_response(request)
