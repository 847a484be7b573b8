"""Signing in (password or the company's identity provider, then a second factor), HR's reset of a person's second
factor, and the sign-in log."""

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.account.stages import LoginStageController
from allauth.mfa.base import views as mfa_views
from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from alliance import access
from alliance.pagination import CappedPaginator
from alliance.security import locked_out
from signin import services
from signin.events import TYPE_NAMES
from signin.forms import SignInForm
from signin.models import SignInEvent


def sso_context():
    if not settings.SSO_ENABLED:
        return {"sso": None}
    return {
        "sso": {
            "name": settings.SSO_NAME,
            "url": reverse("openid_connect_login", kwargs={"provider_id": "sso"}),
            "only": settings.SSO_ONLY,
        }
    }


class SignInView(auth_views.LoginView):
    """The sign-in page (anyone): email and password, and "Sign in with <SSO_NAME>" when the company's identity
    provider is set up. A right password goes on through allauth's stages: a person with a second factor is asked
    for it before they are signed in. django-axes counts the wrong passwords, as before."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | sso_context()

    def form_valid(self, form):
        user = form.get_user()
        login = Login(user=user, email=user.email, redirect_url=self.get_success_url())
        # The password was just typed: for allauth's "confirm it is you" steps (adding a second factor) it counts
        # as a fresh confirmation for ACCOUNT_REAUTHENTICATION_TIMEOUT, so HR's first enrolment asks it once.
        record_authentication(self.request, user, method="password", email=user.email, reauthenticated=True)
        return perform_login(self.request, login)


@never_cache
def second_factor_authenticate(request):
    """allauth's "enter your code" step, behind the same throttle as the password: a paused account (wrong
    passwords and wrong codes count together) gets the pause page, not another try."""
    stage = LoginStageController.enter(request, AuthenticateStage.key)
    user = stage.login.user if stage is not None else None
    if request.method == "POST" and user is not None and AxesProxyHandler.is_locked(request, {"username": user.email}):
        return locked_out(request)
    return mfa_views.authenticate(request)


@never_cache
def second_factor_reauthenticate(request):
    """allauth's "confirm it is you" with a code, behind the same throttle: a wrong code counts as a failed
    sign-in of this account (signin.receivers), and a paused account gets the pause page, not another try."""
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and AxesProxyHandler.is_locked(request, {"username": user.email})
    ):
        return locked_out(request)
    return mfa_views.reauthenticate(request)


@access.require("hr")
@never_cache
def second_factor_reset(request, pk):
    """HR only: remove a person's second factor (they lost their phone or key), after a confirmation. Logged on
    the sign-in log with who did it; the person is told. Anyone else gets 403 (a person they may not see: 404)."""
    employee = access.get_employee_for_user(request.user, pk, write=True)
    factors = [
        (TYPE_NAMES.get(factor.type, factor.type), factor)
        for factor in Authenticator.objects.filter(user_id=employee.user_id).order_by("type", "pk")
    ]
    if request.method == "POST":
        removed = services.second_factor_reset(request=request, by=request.user, user=employee.user)
        if removed:
            messages.success(request, f"{employee.full_name}'s second factor is reset. They can set up a new one.")
        else:
            messages.info(request, f"{employee.full_name} has no second factor to reset.")
        return redirect(employee)
    return render(request, "signin/reset_confirm.html", {"employee": employee, "factors": factors})


@access.require("hr")
@never_cache
def sign_in_log(request):
    """HR only: the sign-in log, newest first: sign-ins, failures, refusals, second factors added, removed, reset."""
    events = SignInEvent.objects.select_related("user__employee", "by__employee")
    kind = request.GET.get("kind", "")
    if kind in SignInEvent.Kind.values:
        events = events.filter(kind=kind)
    person = None
    wanted = request.GET.get("person", "")
    if wanted.isascii() and wanted.isdigit():  # one person's: their page links here (404 for no one; "²" is a digit)
        person = access.get_employee_for_user(request.user, int(wanted))
        events = events.filter(user_id=person.user_id)
    page = CappedPaginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request, "signin/log.html", {"page": page, "kinds": SignInEvent.Kind.choices, "kind": kind, "person": person}
    )
