"""The one write with side effects here: HR resets another person's second factor."""

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.urls import reverse

from alliance.notifications import notify
from signin.events import SignInEvent, record


@transaction.atomic
def second_factor_reset(*, request, by, user):
    """Remove every second factor of `user` (authenticator app, passkeys, recovery codes), log who did it, and tell
    the person (by email at once, whatever their digest preference). Returns how many were removed. The rows are
    locked first, so two HR people confirming at once remove them once and log one reset (the second finds none and
    writes nothing)."""
    factors = list(Authenticator.objects.select_for_update().filter(user=user).order_by("pk"))
    if not factors:
        return 0
    Authenticator.objects.filter(pk__in=[factor.pk for factor in factors]).delete()
    kinds = sorted({factor.type for factor in factors})
    record(request, SignInEvent.Kind.RESET, user=user, by=by, method=", ".join(kinds), detail=f"{len(factors)} removed")
    notify(
        user=user,
        message="HR reset your second factor. Set up a new one from your account page.",
        url=reverse("account"),
        email_subject="Your Alliance second factor was reset",
        now=True,  # a security notice: "this was not me" cannot wait for a digest (nor be switched off)
    )
    return len(factors)
