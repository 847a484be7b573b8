"""Sign-in pages that differ from Django's own."""

from axes.utils import reset as reset_sign_in_attempts
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from alliance.mail import password_reset_send
from alliance.security import user_account


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link only records the request; the worker looks the address up and sends the mail.
    Known and unknown addresses get the same answer by the same path (no account enumeration by timing)."""

    def form_valid(self, form):
        password_reset_send.enqueue(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the emailed link also lifts a sign-in pause on that account:
    whoever reads the mailbox has proved it is theirs."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_attempts(username=user_account(self.user))
        return response
