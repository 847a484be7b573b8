"""Two-factor: a code after the password, one throttle for passwords and codes, recovery codes once, MFA_REQUIRED_FOR,
MFA_AFTER_SSO, and the sign-in log."""

import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache

from alliance.services import sign_in_link_send
from signin.models import SignInEvent
from tests.factories import PASSWORD, EmployeeFactory
from tests.signin.conftest import sso_sign_in
from tests.test_activation import NEW_PASSWORD, link_in, set_password

pytestmark = pytest.mark.django_db


def enrol_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user)
    return pyotp.TOTP(secret), codes.get_unused_codes()


def password(client, email):
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD})


def signed_in(client):
    return "_auth_user_id" in client.session


def test_a_person_with_an_authenticator_app_is_asked_for_a_code_after_the_password(client):
    nadia = EmployeeFactory(user__email="nadia@test.example")
    totp, _ = enrol_totp(nadia.user)
    response = password(client, "nadia@test.example")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    page = client.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200 and 'class="navbar-brand"' in page.content.decode()
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 200 and not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp.now()})
    assert response.status_code == 302 and signed_in(client)
    signed = SignInEvent.objects.get(kind=SignInEvent.Kind.SIGNED_IN)
    assert (signed.method, signed.detail) == ("password", "with a second factor (authenticator app)")
    failed = SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED)
    assert (failed.email, failed.method) == ("nadia@test.example", "authenticator app")


def test_a_code_from_the_step_just_ended_still_works_once_and_one_two_steps_old_does_not(client):
    """A code typed as the app turns it over (30 s steps) is accepted for one step either side, once only."""
    nadia = EmployeeFactory(user__email="nadia@test.example")
    totp, _ = enrol_totp(nadia.user)
    now = int(time.time())
    password(client, "nadia@test.example")
    stale = totp.at(now - 2 * totp.interval)
    if stale not in {totp.at(now - totp.interval), totp.at(now), totp.at(now + totp.interval)}:  # 1 in 10^6
        assert client.post("/accounts/2fa/authenticate/", {"code": stale}).status_code == 200
        assert not signed_in(client)
    just_ended = totp.at(now - totp.interval)
    assert client.post("/accounts/2fa/authenticate/", {"code": just_ended}).status_code == 302 and signed_in(client)
    client.logout()
    password(client, "nadia@test.example")
    assert client.post("/accounts/2fa/authenticate/", {"code": just_ended}).status_code == 200
    assert not signed_in(client)


def test_wrong_codes_and_wrong_passwords_count_against_one_limit(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    nadia = EmployeeFactory(user__email="nadia@test.example")
    totp, _ = enrol_totp(nadia.user)
    assert client.post("/accounts/login/", {"username": "nadia@test.example", "password": "wrong"}).status_code == 200
    password(client, "nadia@test.example")
    bad = "000000" if totp.now() != "000000" else "111111"
    assert client.post("/accounts/2fa/authenticate/", {"code": bad}).status_code == 200
    # The third failure (a password, then two codes) pauses the account: the pause page, for the code step too.
    assert client.post("/accounts/2fa/authenticate/", {"code": bad}).status_code == 429
    assert client.post("/accounts/2fa/authenticate/", {"code": totp.now()}).status_code == 429
    assert not signed_in(client)
    assert password(client, "nadia@test.example").status_code == 429


def test_a_recovery_code_works_once(client):
    nadia = EmployeeFactory(user__email="nadia@test.example")
    _, codes = enrol_totp(nadia.user)
    password(client, "nadia@test.example")
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert signed_in(client)
    client.post("/accounts/logout/")
    password(client, "nadia@test.example")
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()
    assert not signed_in(client)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302


def test_enrolling_an_authenticator_app_through_the_pages_logs_it(client, django_capture_on_commit_callbacks):
    EmployeeFactory(user__email="nadia@test.example")
    password(client, "nadia@test.example")
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals the new factor once it is committed
        response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert set(Authenticator.objects.values_list("type", flat=True)) == {"totp", "recovery_codes"}
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.ENROLLED, method="totp").count() == 1


def test_hr_must_enrol_before_any_other_page(client, settings, cast):
    settings.MFA_REQUIRED_FOR = ["hr"]
    password(client, "hr@test.example")
    for url in ["/people/", "/", "/audit/", "/account/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", url
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    # Others are not held up.
    other = client.__class__()
    password(other, "other@test.example")
    assert other.get("/").status_code == 200
    enrol_totp(cast.hr.user)
    assert client.get("/people/").status_code == 200


def test_an_empty_mfa_required_for_holds_no_one(client, settings, cast):
    settings.MFA_REQUIRED_FOR = []
    password(client, "hr@test.example")
    assert client.get("/people/").status_code == 200


def test_an_sso_sign_in_is_not_asked_for_a_code_unless_mfa_after_sso(client, settings, sso, cast):
    settings.MFA_REQUIRED_FOR = ["hr"]
    totp, _ = enrol_totp(cast.report.user)
    sso.person("rita", "report@test.example")
    assert sso_sign_in(client, "rita")["Location"] == "/"
    assert signed_in(client)
    # HR signed in by SSO is not sent to enrol: the provider's factors secure the session.
    client.post("/accounts/logout/")
    sso.person("hana", "hr@test.example")
    sso_sign_in(client, "hana")
    assert client.get("/people/").status_code == 200
    client.post("/accounts/logout/")
    settings.MFA_AFTER_SSO = True
    response = sso_sign_in(client, "rita")
    assert response["Location"] == "/accounts/2fa/authenticate/" and not signed_in(client)
    cache.clear()  # allauth refuses a code used a moment ago (replay); this one was never used
    assert client.post("/accounts/2fa/authenticate/", {"code": totp.now()}).status_code == 302
    assert signed_in(client)
    client.post("/accounts/logout/")
    sso_sign_in(client, "hana")
    assert client.get("/people/")["Location"] == "/accounts/2fa/"


def test_a_role_that_does_not_exist_in_mfa_required_for_stops_the_app(settings):
    from signin.checks import mfa_required_for_names_roles

    settings.MFA_REQUIRED_FOR = ["hr", "boss"]
    (error,) = mfa_required_for_names_roles(None)
    assert error.id == "signin.E001" and "boss" in error.msg
    settings.MFA_REQUIRED_FOR = ["hr", "manager", "employee", "alumnus"]
    assert mfa_required_for_names_roles(None) == []


def test_the_admin_sign_in_form_takes_no_password_it_is_the_sites_sign_in_page(client, cast):
    # The admin's own form signed a person in with the password alone: past their second factor (and SSO_ONLY).
    cast.hr.user.is_staff = True
    cast.hr.user.save()
    totp, _ = enrol_totp(cast.hr.user)
    response = client.post("/admin/login/?next=/admin/", {"username": "hr@test.example", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    assert not signed_in(client)
    assert client.get("/admin/login/")["Location"] == "/accounts/login/?next=/admin/"
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    # Through the site's sign-in page, the code is asked, and then the admin opens.
    assert password(client, "hr@test.example")["Location"] == "/accounts/2fa/authenticate/"
    assert client.post("/accounts/2fa/authenticate/", {"code": totp.now()}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_a_signed_in_person_the_admin_refuses_is_told_why_and_cannot_sign_in_as_someone_else_there(client, cast):
    cast.hr.user.is_staff = True
    cast.hr.user.save()
    password(client, "other@test.example")
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200 and "not authorized to access this page" in page.content.decode()
    client.post("/admin/login/?next=/admin/", {"username": "hr@test.example", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(cast.other.user.pk)


def test_wrong_passwords_when_confirming_it_is_you_count_against_that_account_only(client, settings, cast):
    # allauth's "confirm it is you" named no account: every person's failures were counted under one empty name,
    # so anyone's wrong passwords paused everyone's confirmation, and the log could not say whose they were.
    settings.AXES_FAILURE_LIMIT = 3
    password(client, "other@test.example")
    for _ in range(2):
        assert client.post("/accounts/reauthenticate/", {"password": "wrong"}).status_code == 200
    failed = SignInEvent.objects.filter(kind=SignInEvent.Kind.FAILED)
    assert set(failed.values_list("email", flat=True)) == {"other@test.example"}
    colleague = client.__class__()
    password(colleague, "manager@test.example")
    assert colleague.post("/accounts/reauthenticate/", {"password": "wrong"}).status_code == 200
    assert colleague.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    # The third failure pauses the account: a right password no longer confirms, nor signs in.
    assert client.post("/accounts/reauthenticate/", {"password": "wrong"}).status_code == 429
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 429
    assert password(client.__class__(), "other@test.example").status_code == 429


def test_a_paused_account_cannot_confirm_it_is_them_with_a_code_either(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    nadia = EmployeeFactory(user__email="nadia@test.example")
    totp, _ = enrol_totp(nadia.user)
    password(client, "nadia@test.example")
    client.post("/accounts/2fa/authenticate/", {"code": totp.now()})
    assert signed_in(client)
    cache.clear()  # the sign-in's code may be typed again below (allauth refuses a code used a moment ago)
    bad = "000000" if totp.now() != "000000" else "111111"
    for _ in range(3):
        client.post("/accounts/2fa/reauthenticate/", {"code": bad})
    assert client.post("/accounts/2fa/reauthenticate/", {"code": totp.now()}).status_code == 429
    assert password(client.__class__(), "nadia@test.example").status_code == 429


def test_a_one_time_link_sets_the_password_but_leaves_a_second_factor_to_the_sign_in(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    # A person who came in by SSO (no password) and has an authenticator app is sent a sign-in link: the link
    # sets a password, and signed them in without the code (whoever reads the mailbox was in).
    nadia = EmployeeFactory(user__email="nadia@test.example")
    nadia.user.set_unusable_password()
    nadia.user.save()
    totp, _ = enrol_totp(nadia.user)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in_link_send(employee=nadia, by=cast.hr.user)
    response = set_password(client, link_in(mailoutbox[0]))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not signed_in(client)
    nadia.user.refresh_from_db()
    assert nadia.user.check_password(NEW_PASSWORD)
    sign_in = client.post("/accounts/login/", {"username": "nadia@test.example", "password": NEW_PASSWORD})
    assert sign_in["Location"] == "/accounts/2fa/authenticate/"
    assert client.post("/accounts/2fa/authenticate/", {"code": totp.now()}).status_code == 302
    assert signed_in(client)
