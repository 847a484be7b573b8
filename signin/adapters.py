"""allauth, fitted to a company: nobody signs up, the identity provider lets in only the people the company has
(signin.matching), and the sign-in ends through the same stages whether it began with a password or with SSO."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render

from signin import events, matching

BACKEND = "alliance.backends.PeopleBackend"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts come from HR (the people form, the CSV import), never from a sign-up page."""
        return False

    def login(self, request, user):
        # allauth would pick the first backend with a get_user(): django-axes' standalone backend, which loads no
        # one. Ours loads the user with their roles on every request.
        user.backend = BACKEND
        super().login(request, user)

    def get_login_stages(self):
        """Only the second factor: no emailed codes, no phone or email verification (HR's addresses are the
        company's). signin.stages.SecondFactorStage leaves an SSO sign-in to the provider (MFA_AFTER_SSO)."""
        return ["signin.stages.SecondFactorStage"]

    def is_reauthentication_required(self, *, app, **kwargs):
        """Adding or removing a second factor asks for the password (or a code) again, as allauth does, unless the
        person has neither (signed in only through SSO): there is nothing to ask, and the session's own limits
        (SESSION_MAX_AGE_SECONDS) stand in."""
        request = context.request
        if request is not None and request.user.is_authenticated and not get_reauthentication_flows(request.user):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def reauthenticate(self, user, password):
        """ "Confirm it is you" checks the password as the sign-in page does, naming the account: django-axes then
        counts a wrong one against this person (allauth's own named no one, so every person's failures added up
        under one empty name) and refuses a paused account."""
        found = self.authenticate(context.request, username=user.email, password=password)
        return found is not None and found.pk == user.pk


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        """The provider said who this is: let in a person the company has, link their provider account to their
        sign-in the first time, refuse anyone else with a page that says why (and make no account)."""
        found = matching.match(sociallogin)
        if found.user is None:
            linked = sociallogin.user.email if sociallogin.is_existing else ""
            events.record(
                request,
                events.SignInEvent.Kind.REFUSED,
                email=matching.verified_email(sociallogin) or linked,
                method="SSO",
                detail=found.refusal[:200],
            )
            response = render(request, "signin/refused.html", {"refusal": found.refusal}, status=403)
            raise ImmediateHttpResponse(response)
        if not sociallogin.is_existing:
            sociallogin.connect(request, found.user)
