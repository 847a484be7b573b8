"""Company sign-in in Chromium, against a real OpenID provider (oidc-provider-mock in a thread): the whole
authorization-code flow, an authenticator app with codes the test computes (pyotp), a passkey through Chromium's
virtual authenticator (CDP WebAuthn), a recovery code used once, and HR held at enrolment. Each journey checks what
was saved, not only what the page said."""

import datetime
import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache

from signin.models import SignInEvent
from tests.factories import PASSWORD, EmployeeFactory
from tests.signin.conftest import SSO_NAME, sso_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sso_browser(settings, oidc_provider, page):
    sso_settings(settings, oidc_provider)
    return page


def provider_person(issuer, sub, email):
    import requests  # noqa: PLC0415  # why: only these journeys talk to the provider directly

    claims = {"email": email, "email_verified": True}
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()


def sso_in_browser(page, sub):
    page.goto("/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {SSO_NAME}").click()
    page.locator("#subject-input").fill(sub)  # the provider's own sign-in form
    page.get_by_role("button", name="Authorize", exact=True).click()


def test_a_known_employee_comes_in_through_the_provider(sso_browser, oidc_provider, live_server, cast):
    provider_person(oidc_provider, "oskar", "Other@Test.Example")
    sso_in_browser(sso_browser, "oskar")
    sso_browser.get_by_role("button", name="Oskar Tamm").wait_for()
    assert sso_browser.url.rstrip("/") == live_server.url
    assert SocialAccount.objects.get(uid="oskar").user == cast.other.user
    assert SignInEvent.objects.filter(kind="signed_in", user=cast.other.user, method="SSO").count() == 1


def test_an_unknown_address_is_refused_and_no_account_is_made(sso_browser, oidc_provider, cast):
    users = get_user_model().objects.count()
    provider_person(oidc_provider, "mallory", "mallory@elsewhere.example")
    sso_in_browser(sso_browser, "mallory")
    sso_browser.get_by_role("heading", name="You cannot sign in here").wait_for()
    assert (
        "Alliance has no one with the address mallory@elsewhere.example" in sso_browser.locator("#refusal").inner_text()
    )
    assert get_user_model().objects.count() == users and not SocialAccount.objects.exists()
    assert SignInEvent.objects.get(kind="refused").email == "mallory@elsewhere.example"


def test_a_departed_employee_is_refused(sso_browser, oidc_provider, cast):
    provider_person(oidc_provider, "alma", "alumnus@test.example")
    sso_in_browser(sso_browser, "alma")
    sso_browser.get_by_role("heading", name="You cannot sign in here").wait_for()
    assert "Your employment here has ended" in sso_browser.locator("#refusal").inner_text()
    assert not SocialAccount.objects.exists()
    assert not SignInEvent.objects.filter(kind="signed_in").exists()


def code_step(page, code):
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign In").click()


def sign_out(page):
    page.get_by_role("button", name=re.compile("Hana Rees|Rita Ortiz")).click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_hr_enrols_an_authenticator_app_before_anything_else_then_signs_in_with_codes(page, settings, cast):
    settings.MFA_REQUIRED_FOR = ["hr"]
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("hr@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/")
    page.goto("/people/")  # an HR page: not before enrolling
    page.wait_for_url("**/accounts/2fa/")
    page.get_by_text("Before anything else, set up a second factor").wait_for()
    page.get_by_role("link", name="Activate").click()
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1  # the QR code
    secret = page.locator("#authenticator_secret").input_value()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Authenticator code").fill(totp.now())
    page.get_by_role("button", name="Activate").click()
    page.get_by_role("heading", name="Recovery Codes").wait_for()
    assert Authenticator.objects.get(user=cast.hr.user, type="totp")
    page.goto("/people/")
    page.get_by_role("heading", name="People").wait_for()

    sign_out(page)
    cache.clear()  # allauth refuses a code used a moment ago; a fresh window's code would be needed otherwise
    sign_in_with_password(page, "hr@test.example")
    code_step(page, totp.now())
    page.get_by_role("button", name="Hana Rees").wait_for()
    assert SignInEvent.objects.filter(
        user=cast.hr.user, kind="signed_in", detail__contains="authenticator app"
    ).exists()


def sign_in_with_password(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_recovery_code_works_once(page, cast):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes  # noqa: PLC0415  # why: test setup only
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: PLC0415  # why: test setup only

    TOTP.activate(cast.report.user, generate_totp_secret())
    code = RecoveryCodes.activate(cast.report.user).get_unused_codes()[0]
    sign_in_with_password(page, "report@test.example")
    code_step(page, code)
    page.get_by_role("button", name="Rita Ortiz").wait_for()
    sign_out(page)
    sign_in_with_password(page, "report@test.example")
    code_step(page, code)
    page.get_by_text("Incorrect code").wait_for()
    assert "/accounts/2fa/authenticate/" in page.url
    recovery = Authenticator.objects.get(user=cast.report.user, type="recovery_codes").wrap()
    assert code not in recovery.get_unused_codes()


def test_a_passkey_is_enrolled_and_signs_in_through_chromiums_virtual_authenticator(page, cast):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    sign_in_with_password(page, "report@test.example")
    page.get_by_role("button", name="Rita Ortiz").wait_for()
    page.goto("/account/")
    page.get_by_role("link", name="Set up or change your second factor").click()
    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Rita's laptop")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    key = Authenticator.objects.get(user=cast.report.user, type="webauthn")
    assert key.wrap().name == "Rita's laptop"
    assert SignInEvent.objects.filter(user=cast.report.user, kind="enrolled", method="webauthn").exists()

    page.goto("/")
    sign_out(page)
    sign_in_with_password(page, "report@test.example")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_role("button", name="Use a security key").click()
    page.get_by_role("button", name="Rita Ortiz").wait_for()
    signed = SignInEvent.objects.filter(user=cast.report.user, kind="signed_in").order_by("-pk").first()
    assert signed.detail == "with a second factor (passkey or security key)"


def test_a_starter_signs_in_by_sso_on_their_first_day(sso_browser, oidc_provider):
    EmployeeFactory(
        first_name="Sam", last_name="Start", user__email="sam@test.example",
        hire_date=datetime.date.today() + datetime.timedelta(days=3),
    )  # fmt: skip
    provider_person(oidc_provider, "sam", "sam@test.example")
    sso_in_browser(sso_browser, "sam")
    sso_browser.get_by_role("button", name="Sam Start").wait_for()


def test_the_company_sign_in_pages_pass_axe(axe_page, settings, oidc_provider, cast):
    """The pages only these journeys reach: the sign-in page with the SSO button (and with SSO_ONLY), the refusal,
    the code step, and the two-factor pages of someone who has set up every kind."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes  # noqa: PLC0415  # why: test setup only
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: PLC0415  # why: test setup only

    from tests.browser.test_accessibility import Audit  # noqa: PLC0415  # why: the axe audit's helper, shared

    sso_settings(settings, oidc_provider)
    audit = Audit(axe_page)
    audit.visit("/accounts/login/")
    settings.SSO_ONLY = True
    audit.visit("/accounts/login/")
    axe_page.get_by_text("Former employees and the emergency HR account").click()  # the password form, open
    audit.check("/accounts/login/ (SSO_ONLY, password form open)")
    settings.SSO_ONLY = False
    provider_person(oidc_provider, "stranger", "stranger@elsewhere.example")
    sso_in_browser(axe_page, "stranger")
    axe_page.get_by_role("heading", name="You cannot sign in here").wait_for()
    audit.check("SSO refusal")
    TOTP.activate(cast.report.user, generate_totp_secret())
    RecoveryCodes.activate(cast.report.user)
    sign_in_with_password(axe_page, "report@test.example")
    axe_page.wait_for_url("**/accounts/2fa/authenticate/")
    audit.check("code step")
    code = Authenticator.objects.get(user=cast.report.user, type="recovery_codes").wrap().get_unused_codes()[0]
    code_step(axe_page, code)
    axe_page.get_by_role("button", name="Rita Ortiz").wait_for()
    audit.who = "report@test.example"
    for path in ["/accounts/2fa/", "/accounts/2fa/recovery-codes/", "/accounts/2fa/totp/deactivate/", "/account/"]:
        audit.visit(path)
    audit.assert_clean()


def test_hr_resets_a_persons_second_factor_from_their_page(page, cast):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes  # noqa: PLC0415  # why: test setup only
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: PLC0415  # why: test setup only

    TOTP.activate(cast.report.user, generate_totp_secret())
    RecoveryCodes.activate(cast.report.user)
    sign_in_with_password(page, "hr@test.example")
    page.get_by_role("button", name="Hana Rees").wait_for()
    page.goto(f"/people/{cast.report.pk}/")
    page.get_by_role("link", name="Reset their second factor…").click()
    page.get_by_role("heading", name="Reset Rita Ortiz's second factor?").wait_for()
    assert page.get_by_text("Authenticator app, added").is_visible()
    page.get_by_role("button", name="Reset the second factor").click()
    page.get_by_text("Rita Ortiz's second factor is reset.").wait_for()
    assert not Authenticator.objects.filter(user=cast.report.user).exists()
    reset = SignInEvent.objects.get(kind="reset")
    assert (reset.user, reset.by) == (cast.report.user, cast.hr.user)
    page.goto("/audit/sign-ins/?kind=reset")
    row = page.get_by_role("row", name=re.compile("Second factor reset by HR"))
    assert "Rita Ortiz" in row.inner_text() and "Hana Rees" in row.inner_text()
