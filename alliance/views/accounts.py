"""Sign-in pages that differ from Django's own."""

from axes.utils import reset as reset_sign_in_attempts
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alliance import services
from alliance.forms import ApiTokenForm, MailPreferenceForm
from alliance.mail import password_reset_send
from alliance.models import SIGN_IN_LINK_DAYS, ApiToken, SignInLink
from alliance.security import password_reset_allowed, user_account
from alliance.views.links import LinkFlow, link_page


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link only records the request; the worker looks the address up and sends the mail.
    Known and unknown addresses get the same answer by the same path (no account enumeration by timing)."""

    def form_valid(self, form):
        # Throttled per typed address and per client address; the answer is the same whether or not it was sent.
        if password_reset_allowed(self.request, form.cleaned_data["email"]):
            password_reset_send.enqueue(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the emailed link also lifts a sign-in pause on that account:
    whoever reads the mailbox has proved it is theirs. The link works once even when its form is sent twice at
    once: the user row is locked and the token checked again against it (the first use changed the password,
    which voids the token), so the second waits for the first and then finds the link used. The password is
    hashed before the lock (the hash takes most of a second), so the transaction stays short."""

    def form_valid(self, form):
        password_hash = make_password(form.cleaned_data["new_password1"])
        with transaction.atomic():
            user = type(self.user).objects.select_for_update().get(pk=self.user.pk)
            if not self.token_generator.check_token(user, self.request.session.get(INTERNAL_RESET_SESSION_TOKEN)):
                self.validlink = False
                return self.render_to_response(self.get_context_data(form=None))
            user.password = password_hash
            user.save(update_fields=["password"])
        self.user = user
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        reset_sign_in_attempts(username=user_account(user))
        return HttpResponseRedirect(self.get_success_url())


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


@login_required
@never_cache
def account(request):
    """Your account: who you are signed in as and how you sign in. Each feature that belongs to a person's
    account (API tokens, calendar feed, notification preference, second factor) adds its own section,
    one include each in templates/alliance/account.html."""
    return render(request, "alliance/account.html", account_context(request))


def account_context(request, **forms):
    """What the account page's sections read. A section's view that answers a POST with the page (to show
    a secret once, or a form's errors) passes its bound form here and renders the page with the result."""
    return {
        "section": "account",
        "api_tokens": ApiToken.objects.visible_to(request.user).filter(revoked_at__isnull=True).select_related("user"),
        "token_form": forms.get("token_form") or ApiTokenForm(user=request.user),
        "mail_form": forms.get("mail_form") or MailPreferenceForm(instance=request.user),
    }


@login_required
@require_POST
def account_mail(request):
    """Anyone signed in: how often Alliance emails them (their own: the URL takes no id). A bad choice shows the
    account page again with the form's error."""
    form = MailPreferenceForm(request.POST, instance=request.user)
    if not form.is_valid():
        return render(request, "alliance/account.html", account_context(request, mail_form=form))
    # Only this column: the user row's other fields (the password, the last sign-in) are not the form's.
    form.instance.save(update_fields=["mail"])
    messages.success(request, f"Saved. Email: {form.instance.get_mail_display().lower()}.")
    return redirect("account")
