"""Writing the sign-in log (signin.models.SignInEvent)."""

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
        ip=client_ip(request) if request is not None else None,
    )
