"""Writing the sign-in log (signin.models.SignInEvent), and forgetting it after SIGNIN_LOG_DAYS."""

import datetime
import ipaddress

from django.conf import settings

from alliance.security import client_ip
from signin.models import SignInEvent

__all__ = ["SignInEvent", "TYPE_NAMES", "forget_old", "record"]

TYPE_NAMES = {"totp": "authenticator app", "webauthn": "passkey or security key", "recovery_codes": "recovery codes"}


def record(request, kind, *, user=None, email="", method="", detail="", by=None):
    """One row of the sign-in log. The typed address is kept only as long as the column allows."""
    if not email and user is not None:
        email = user.email
    return SignInEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        email=(email or "")[:254],
        method=method[:40],
        detail=detail[:200],
        by=by,
        ip=_address(request),
    )


def _address(request):
    """The client's address when it is one (an inet column on PostgreSQL refuses anything else: a sign-in must
    never fail over a strange REMOTE_ADDR or forwarded header)."""
    address = client_ip(request) if request is not None else None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def forget_old(now):
    """Delete the log's rows older than SIGNIN_LOG_DAYS (the worker's housekeeping, alliance.worker.tidy): one
    DELETE on the `at` index, which finds nothing at once when nothing is due. Returns how many went."""
    cutoff = now - datetime.timedelta(days=settings.SIGNIN_LOG_DAYS)
    return SignInEvent.objects.filter(at__lt=cutoff).delete()[0]
