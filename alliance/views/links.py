"""The page behind a one-time link from an email (a new person's sign-in link, an alumni invitation): choose a
password, then land signed in (or on the sign-in page, which asks for their second factor, when they have one). One
flow for both kinds; a closed link gets a page that says why and what to do."""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from axes.utils import reset as reset_sign_in_attempts
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.shortcuts import redirect, render

from alliance.security import user_account
from alliance.services import LinkClosed

# An authenticator app or a passkey (recovery codes alone are not asked for at sign-in).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@dataclass(frozen=True)
class LinkFlow:
    model: type  # an alliance.models.OneTimeLink
    name: str  # "sign-in link", "invitation": the closed page's heading
    closed: dict  # state (invalid, used, revoked, expired) -> what to do
    template: str  # the form page; it gets `form` and `employee`
    use: Callable  # (link=, password_hash=) -> user, in one short transaction
    welcome: str
    next_url: str


def link_page(request, token, flow):
    link, state = flow.model.find(token)
    if state != "open":
        return closed_page(request, flow, state)
    user = link.employee.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Hashed before the service's transaction begins: no lock is held across the ~1 s of PBKDF2.
        password_hash = make_password(form.cleaned_data["new_password1"])
        try:
            user = flow.use(link=link, password_hash=password_hash)
        except LinkClosed as closed:  # used or revoked since the page was opened
            return closed_page(request, flow, closed.state)
        reset_sign_in_attempts(username=user_account(user))
        if Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists():
            # The link stands in for the password, not for the second factor: the sign-in page asks for both.
            messages.success(request, "Your password is set. Sign in with it, then with your second factor.")
            return redirect("login")
        login(request, user, backend="alliance.backends.PeopleBackend")
        messages.success(request, flow.welcome)
        return redirect(flow.next_url)
    return render(request, flow.template, {"form": form, "employee": link.employee})


def closed_page(request, flow, state):
    status = 404 if state == "invalid" else 410
    return render(
        request, "registration/link_closed.html", {"name": flow.name, "message": flow.closed[state]}, status=status
    )
