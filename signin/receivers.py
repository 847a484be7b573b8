"""The sign-in log's receivers, and one throttle: a wrong second-factor code is a failed sign-in for
django-axes, counted with wrong passwords against the same account and address (alliance.security)."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa_signals
from axes.utils import reset as reset_sign_in_attempts
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from alliance.security import user_account
from signin.events import TYPE_NAMES, SignInEvent, record

SECOND_FACTOR = "second_factor"  # marks a failure of the second step in the credentials axes receives


def sign_in_method(request, user):
    """How this session was signed in, from allauth's record of the steps (none: a one-time link signed them in)."""
    steps = [step.get("method") for step in get_authentication_records(request, user)] if request else []
    if "socialaccount" in steps:
        method = "SSO"
    elif "password" in steps:
        method = "password"
    else:
        method = "sign-in link"
    factors = [step.get("type") for step in get_authentication_records(request, user) if step.get("method") == "mfa"]
    detail = f"with a second factor ({TYPE_NAMES.get(factors[-1], factors[-1])})" if factors else ""
    return method, detail


@receiver(user_logged_in, dispatch_uid="signin_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    method, detail = sign_in_method(request, user)
    record(request, SignInEvent.Kind.SIGNED_IN, user=user, method=method, detail=detail)
    if method != "sign-in link":
        # A password or SSO sign-in went through (after the second factor too): that account's failures are
        # cleared, as django-axes does when the request itself names the account (the code step's does not).
        reset_sign_in_attempts(username=user_account(user))


@receiver(user_login_failed, dispatch_uid="signin_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    typed = str((credentials or {}).get("username") or "")
    second = (credentials or {}).get(SECOND_FACTOR)
    record(
        request,
        SignInEvent.Kind.FAILED,
        email=typed,
        method=TYPE_NAMES.get(second, "second factor") if second else "password",
        detail="wrong code" if second else "wrong email or password",
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="signin_mfa_failed")
def on_second_factor_failed(sender, request, user, authenticator, **kwargs):
    """A wrong code: the same signal a wrong password sends, so django-axes counts it (and pauses the account
    after SIGNIN_FAILURE_LIMIT of either), and the log records it."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.email, SECOND_FACTOR: authenticator.type}, request=request
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="signin_mfa_added")
def on_added(sender, request, user, authenticator, **kwargs):
    record(request, SignInEvent.Kind.ENROLLED, user=user, method=authenticator.type)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="signin_mfa_removed")
def on_removed(sender, request, user, authenticator, **kwargs):
    record(request, SignInEvent.Kind.REMOVED, user=user, method=authenticator.type)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="signin_mfa_renewed")
def on_renewed(sender, request, user, authenticator, **kwargs):
    record(request, SignInEvent.Kind.ENROLLED, user=user, method=authenticator.type, detail="new codes")
