from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from signin.events import SignInEvent, record
from signin.matching import may_use_sso


class SignInForm(AuthenticationForm):
    """The password sign-in. With SSO_ONLY an employee (or future hire) is sent to the company's identity provider;
    alumni and the one break-glass account (SSO_BREAK_GLASS_EMAIL) keep their password."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.SSO_ONLY and may_use_sso(user) and user.email.lower() != settings.SSO_BREAK_GLASS_EMAIL:
            record(self.request, SignInEvent.Kind.REFUSED, user=user, method="password", detail="SSO_ONLY")
            raise forms.ValidationError(
                f"Employees sign in with {settings.SSO_NAME}: use the button above. Password sign-in is kept for "
                "former employees and the emergency HR account.",
                code="sso_only",
            )
