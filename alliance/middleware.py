"""The app's own middleware: the load balancer's probe, no caching of personal data, idle sign-out, roles."""

import time
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from alliance.roles import roles_of
from alliance.views.pages import healthz

REFRESH_SECONDS = 60
KEY = "_alliance_seen"
STARTED = "_alliance_started"  # when the person signed in: the session's absolute lifetime counts from it


class IdleTimeoutMiddleware:
    """A session ends after SESSION_COOKIE_AGE seconds without a request. Saving the session pushes
    its expiry forward; rather than save on every request (SESSION_SAVE_EVERY_REQUEST, one UPDATE and
    one commit per page), it is saved when a minute has passed since the last time. So the idle
    timeout is exact to within a minute. However active, a signed-in session ends SESSION_MAX_AGE_SECONDS
    after the sign-in (a stolen session cookie does not live for ever): the person signs in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        started = session.get(STARTED)
        if started is not None and time.time() - started >= settings.SESSION_MAX_AGE_SECONDS:
            session.flush()  # before authentication reads it: this request is already signed out
        if session.session_key is not None:
            now = int(time.time())
            if now - session.get(KEY, 0) >= REFRESH_SECONDS:
                session[KEY] = now
        response = self.get_response(request)
        # A request that writes the session anyway (signing in) stamps it too, so the page it redirects
        # to (the dashboard) does not write it again a moment later: one UPDATE and commit fewer.
        if session.modified and not session.is_empty():
            session[KEY] = int(time.time())
        if SESSION_KEY in session and STARTED not in session:  # just signed in (or a session from before this rule)
            session[STARTED] = int(time.time())
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


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _unreadable(request):
    """Why a form post cannot be read as UTF-8 text, or None. Only UTF-8 is accepted (RFC 1866 and every form
    this site renders): a declared charset other than it, or bytes that are not UTF-8 once percent-decoded."""
    charset = request.content_params.get("charset")
    if charset is not None and charset.lower() != "utf-8":  # Django's own rule (even "utf8" is refused)
        return f"it was sent as “{charset[:40]}” text; this site reads UTF-8 only"
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            unquote_to_bytes(request.body.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return "it holds bytes that are not UTF-8 text"
        except RequestDataTooBig:
            return "it is too large"
    return None


class FormBodyMiddleware:
    """A form post whose body cannot be read as UTF-8 answers 400 with a page saying so, before any view or the
    CSRF check reads it. Django raises BadRequest for a declared non-UTF-8 charset on every read of request.POST,
    so its own 400 page (which checks the CSRF token, reading it again) became a 500; invalid bytes were silently
    replaced. A browser never sends either; a script or a misconfigured client does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_TYPES:
            reason = _unreadable(request)
            if reason:
                return render(request, "errors/unreadable_form.html", {"reason": reason}, status=400)
        return self.get_response(request)
