"""Writing the sign-in log (signin.models.SignInEvent)."""

import ipaddress

from alliance.security import client_ip
from signin.models import SignInEvent

__all__ = ["SignInEvent", "TYPE_NAMES", "record"]

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
