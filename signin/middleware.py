"""MFA_REQUIRED_FOR: a signed-in person in one of those roles who has no second factor sees only the pages that
set one up (and can sign out); every other page sends them there, and they cannot skip it."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

ENROLMENT_PREFIXES = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/static/")
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_second_factor(user):
    """Loaded with the user by alliance.backends.PeopleBackend (no query); a user loaded otherwise asks once."""
    known = getattr(user, "_second_factor", None)
    if known is None:
        known = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
        user._second_factor = known
    return known


def signed_in_by_sso(request):
    return any(step.get("method") == "socialaccount" for step in get_authentication_records(request, request.user))


def must_enrol(request):
    if not settings.MFA_REQUIRED_FOR or not request.user.is_authenticated:
        return False
    if not request.roles.any(*settings.MFA_REQUIRED_FOR):
        return False
    if not settings.MFA_AFTER_SSO and signed_in_by_sso(request):
        return False  # the identity provider's factors secure this session
    return not has_second_factor(request.user)


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(ENROLMENT_PREFIXES) and must_enrol(request):
            messages.warning(
                request,
                "Before anything else, set up a second factor: an authenticator app or a passkey. Your role "
                "requires it.",
                fail_silently=True,
            )
            return redirect(reverse("mfa_index"))
        return self.get_response(request)
