from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from signin.events import SignInEvent, record
from signin.matching import may_use_sso


class SignInForm(AuthenticationForm):
    """The password sign-in. With SSO_ONLY an employee (or future hire) is sent to the company's identity provider;
    alumni and the one break-glass account (SSO_BREAK_GLASS_EMAIL) keep their password. The refusal reads as a
    wrong password does (one message for both, naming the button): it comes only after the password was checked,
    so words of its own would confirm a guessed password and tell an employee's address from an unknown one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.SSO_ONLY:
            name = settings.SSO_NAME.replace("%", "%%")  # the message is %-formatted with the field's name
            self.error_messages = {
                **self.error_messages,
                "invalid_login": f"Please enter a correct %(username)s and password. Employees sign in with {name}: "
                "use the button above. Password sign-in is kept for former employees and the emergency HR account.",
            }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.SSO_ONLY and may_use_sso(user) and user.email.lower() != settings.SSO_BREAK_GLASS_EMAIL:
            record(self.request, SignInEvent.Kind.REFUSED, user=user, method="password", detail="SSO_ONLY")
            raise self.get_invalid_login_error()
