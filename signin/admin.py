"""allauth registers its models in the admin; none belongs there. Second factors (their secrets) and provider links
are managed by the person and, for a reset, by HR's own page (signin.views.second_factor_reset), which is logged;
email addresses and provider apps are not used (HR owns addresses; the provider is configured by settings)."""

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin

for _model in (EmailAddress, EmailConfirmation, SocialApp, SocialToken, SocialAccount, Authenticator):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
