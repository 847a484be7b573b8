"""Who may come in through the company's identity provider: one rule.

The provider's *verified* email is matched, case-insensitively, to a person the company has: employed today, or a
future hire (preboarding). Anyone else is refused with a reason and no account is made. A departed person is
refused too: an alumnus signs in with the alumni account's password, never through the company's SSO."""

from dataclasses import dataclass

from django.conf import settings

from alliance.models import User
from alliance.roles import roles_of


@dataclass(frozen=True)
class Match:
    user: User | None
    refusal: str = ""


def verified_email(sociallogin):
    """The provider's verified address, or "" (an unverified one is never trusted to name a person)."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip()
    return ""


def may_use_sso(user):
    """Employed today, or starting later, with an active sign-in."""
    if user is None or not user.is_active:
        return False
    roles = roles_of(user)
    return roles.employee is not None or roles.starter is not None


def refusal_for(user, email):
    if user is None or roles_of(user).person is None or not user.is_active:
        return (
            f"Alliance has no one with the address {email}. Only people the company has added can sign in with "
            f"{settings.SSO_NAME}; if you have just joined, ask HR to check the address on your record."
        )
    return (
        "Your employment here has ended, so you can no longer sign in with the company's account. If you joined "
        "the alumni network, sign in below with your email address and the password you chose for it."
    )


def match(sociallogin):
    """The person this SSO sign-in is, or why not. A provider account already linked to a person is that person
    (their address may have changed at the provider); otherwise the verified address must name one."""
    if sociallogin.is_existing:
        user = sociallogin.user
        email = user.email
    else:
        email = verified_email(sociallogin)
        if not email:
            return Match(
                None,
                f"{settings.SSO_NAME} did not confirm an email address for you, so Alliance cannot tell who you are. "
                "Ask your IT team to send a verified email address to Alliance.",
            )
        user = User.objects.filter(email__iexact=email).first()
    if may_use_sso(user):
        return Match(user)
    return Match(None, refusal_for(user, email))
