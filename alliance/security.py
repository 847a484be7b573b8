"""Sign-in throttling hooks for django-axes: which address a request comes from, which account it names."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The visitor's address. Behind our one TLS proxy, REMOTE_ADDR is the proxy, so the address is the
    last X-Forwarded-For entry: the one that proxy appended (earlier entries are whatever the client sent)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")


def account(request, credentials):
    """Sign-in is case-insensitive on the email, so `Ann@x` and `ann@x` count against one account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def locked_out(request, original_response=None, credentials=None):
    """The page a paused sign-in gets: why, for how long, and the way out (a password reset)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
