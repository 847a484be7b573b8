"""Sign-in pages that differ from Django's own."""

from axes.utils import reset as reset_sign_in_attempts
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.views.decorators.cache import never_cache

from alliance import services
from alliance.mail import password_reset_send
from alliance.models import SIGN_IN_LINK_DAYS, SignInLink
from alliance.security import user_account
from alliance.views.links import LinkFlow, link_page


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


LINK_CLOSED = {
    "invalid": "This sign-in link is not valid. Check that you opened the whole link from the email, or ask HR to "
    "send you a new one.",
    "used": "This sign-in link has already been used. Sign in with the password you chose; if you forgot it, use "
    "“Forgot your password?” on the sign-in page.",
    "revoked": "This sign-in link no longer works: a newer one was sent after it, or the account changed since (a "
    "password was already chosen, or the employment ended). Use the newest email, sign in with your password, or "
    "ask HR.",
    "expired": f"This sign-in link has expired (links last {SIGN_IN_LINK_DAYS} days). Ask HR to send you a new one.",
}


ACTIVATION = LinkFlow(
    model=SignInLink,
    name="sign-in link",
    closed=LINK_CLOSED,
    template="registration/activate.html",
    use=services.sign_in_link_use,
    welcome="Your password is set and you are signed in. Welcome to Alliance.",
    next_url="dashboard",
)


@never_cache
def activate(request, token):
    """The link from the sign-in email (anyone holding it): choose a first password, then land signed in on the
    dashboard."""
    return link_page(request, token, ACTIVATION)
