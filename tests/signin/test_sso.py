"""Single sign-on through a real OpenID provider: who comes in, who is refused, and SSO_ONLY."""

import datetime

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from signin.models import SignInEvent
from tests.factories import PASSWORD, EmployeeFactory
from tests.signin.conftest import SSO_NAME, sso_sign_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_the_sign_in_page_shows_the_sso_button_only_when_sso_is_set_up(client, settings, sso):
    page = client.get("/accounts/login/").content.decode()
    assert f"Sign in with {SSO_NAME}" in page
    assert 'action="/accounts/oidc/sso/login/"' in page
    settings.SSO_ENABLED = False
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()


def test_a_current_employee_comes_in_by_their_verified_address_in_any_letter_case(client, sso):
    nadia = EmployeeFactory(user__email="nadia@acme.example")
    sso.person("nadia-sub", "Nadia@ACME.example")
    response = sso_sign_in(client, "nadia-sub")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == nadia.user
    account = SocialAccount.objects.get(uid="nadia-sub")
    assert account.user == nadia.user and account.provider == "sso"
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGNED_IN)
    assert (event.user, event.method) == (nadia.user, "SSO")
    # The dashboard opens: the session is a full sign-in, with the app's backend.
    assert client.get("/").status_code == 200


def test_a_future_hire_comes_in_to_their_welcome_page(client, sso):
    starter = EmployeeFactory(user__email="sam@acme.example", hire_date=TODAY + datetime.timedelta(days=7))
    sso.person("sam-sub", "sam@acme.example")
    assert sso_sign_in(client, "sam-sub").status_code == 302
    assert signed_in_as(client) == starter.user


def test_an_unknown_address_is_refused_and_no_account_is_made(client, sso):
    EmployeeFactory(user__email="nadia@acme.example")
    users = get_user_model().objects.count()
    sso.person("stranger-sub", "stranger@elsewhere.example")
    response = sso_sign_in(client, "stranger-sub")
    assert response.status_code == 403
    assert "Alliance has no one with the address stranger@elsewhere.example" in response.content.decode()
    assert signed_in_as(client) is None
    assert get_user_model().objects.count() == users
    assert not SocialAccount.objects.exists()
    refused = SignInEvent.objects.get(kind=SignInEvent.Kind.REFUSED)
    assert (refused.email, refused.user) == ("stranger@elsewhere.example", None)


def test_an_unverified_address_is_refused_even_when_it_names_an_employee(client, sso):
    EmployeeFactory(user__email="nadia@acme.example")
    sso.person("nadia-unverified", "nadia@acme.example", verified=False)
    response = sso_sign_in(client, "nadia-unverified")
    assert response.status_code == 403
    assert "did not confirm an email address" in response.content.decode()
    assert signed_in_as(client) is None and not SocialAccount.objects.exists()


def test_a_departed_employee_is_refused_even_with_an_account_linked_before(client, sso):
    leaver = EmployeeFactory(user__email="lee@acme.example")
    sso.person("lee-sub", "lee@acme.example")
    assert sso_sign_in(client, "lee-sub").status_code == 302  # while employed
    client.logout()
    leaver.departure_date = TODAY - datetime.timedelta(days=1)
    leaver.save()
    response = sso_sign_in(client, "lee-sub")
    assert response.status_code == 403
    assert "Your employment here has ended" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_departed_person_never_linked_is_refused(client, sso):
    EmployeeFactory(user__email="old@acme.example", departure_date=TODAY - datetime.timedelta(days=90))
    sso.person("old-sub", "old@acme.example")
    assert sso_sign_in(client, "old-sub").status_code == 403
    assert not SocialAccount.objects.exists()


def test_sso_only_refuses_an_employees_password_but_not_an_alumnus_or_the_break_glass_account(client, settings, sso):
    settings.SSO_ONLY = True
    settings.SSO_BREAK_GLASS_EMAIL = "breakglass@acme.example"
    EmployeeFactory(user__email="nadia@acme.example")
    EmployeeFactory(user__email="breakglass@acme.example")
    EmployeeFactory(user__email="alma@acme.example", departure_date=TODAY - datetime.timedelta(days=30))
    page = client.get("/accounts/login/").content.decode()
    assert "Former employees and the emergency HR account" in page
    refused = client.post("/accounts/login/", {"username": "nadia@acme.example", "password": PASSWORD})
    assert refused.status_code == 200 and f"Employees sign in with {SSO_NAME}" in refused.content.decode()
    assert signed_in_as(client) is None
    logged = SignInEvent.objects.get(kind=SignInEvent.Kind.REFUSED)
    assert (logged.email, logged.method, logged.detail) == ("nadia@acme.example", "password", "SSO_ONLY")
    for email in ["breakglass@acme.example", "alma@acme.example"]:
        assert client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code == 302
        assert signed_in_as(client).email == email
        client.logout()


def test_sso_only_does_not_tell_a_right_password_from_a_wrong_one(client, settings, sso):
    # The refusal came only after the password was checked, with its own words: an employee's password could be
    # guessed (and confirmed) from the page, and an unknown address told apart from an employee's.
    settings.SSO_ONLY = True
    EmployeeFactory(user__email="nadia@acme.example")

    def error(email, password):
        response = client.post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 200 and signed_in_as(client) is None
        return response.context["form"].non_field_errors()

    right = error("nadia@acme.example", PASSWORD)
    assert right == error("nadia@acme.example", "wrong") == error("nobody@acme.example", PASSWORD)
    assert f"Employees sign in with {SSO_NAME}" in right[0]


def test_without_sso_only_an_employee_keeps_their_password(client, sso):
    EmployeeFactory(user__email="nadia@acme.example")
    assert client.post("/accounts/login/", {"username": "nadia@acme.example", "password": PASSWORD}).status_code == 302


def test_a_forged_callback_gets_the_error_page_in_the_house_layout_not_a_500(client, sso):
    response = client.get("/accounts/oidc/sso/login/callback/?code=forged&state=forged")
    assert response.status_code == 401
    assert 'class="navbar-brand"' in response.content.decode()  # templates/base.html, not allauth's bare layout
    assert signed_in_as(client) is None
