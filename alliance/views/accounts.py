"""Sign-in pages that differ from Django's own."""

from axes.utils import reset as reset_sign_in_attempts
from django.contrib.auth import views as auth_views

from alliance.security import user_account


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the emailed link also lifts a sign-in pause on that account:
    whoever reads the mailbox has proved it is theirs."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_attempts(username=user_account(self.user))
        return response
