"""The second factor at sign-in: allauth's own stage, except after an SSO sign-in (the provider's to secure)."""

from allauth.mfa.stages import AuthenticateStage
from django.conf import settings


def came_by_sso(login):
    return bool((login.signal_kwargs or {}).get("sociallogin"))


class SecondFactorStage(AuthenticateStage):
    """Asks a person who has a second factor for it after their password. After a sign-in through the company's
    identity provider it asks nothing unless MFA_AFTER_SSO: the provider enforces its own factors."""

    def handle(self):
        if came_by_sso(self.login) and not settings.MFA_AFTER_SSO:
            return None, True
        return super().handle()
