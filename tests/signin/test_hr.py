"""HR resets another person's second factor (a confirmation, a log entry, the person told), and reads the sign-in
log."""

import pytest
from allauth.mfa.models import Authenticator

from alliance.models import Notification, User
from signin.models import SignInEvent
from tests.factories import EmployeeFactory
from tests.signin.test_mfa import enrol_totp

pytestmark = pytest.mark.django_db


def test_hr_resets_a_persons_second_factor_after_a_confirmation(client_for, cast):
    enrol_totp(cast.report.user)
    url = f"/people/{cast.report.pk}/second-factor/reset/"
    for role, status in [("manager", 403), ("report", 403), ("other", 403), ("alumnus", 403)]:
        assert client_for(role).post(url).status_code == status, role
    assert Authenticator.objects.filter(user=cast.report.user).count() == 2
    client = client_for("hr")
    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Reset Rita Ortiz's second factor?" in page and "Authenticator app, added" in page
    assert Authenticator.objects.filter(user=cast.report.user).count() == 2  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/people/{cast.report.pk}/"
    assert not Authenticator.objects.filter(user=cast.report.user).exists()
    reset = SignInEvent.objects.get(kind=SignInEvent.Kind.RESET)
    assert (reset.user, reset.by, reset.method) == (cast.report.user, cast.hr.user, "recovery_codes, totp")
    assert Notification.objects.filter(
        user=cast.report.user, message__startswith="HR reset your second factor"
    ).exists()
    # Again: nothing to reset, nothing logged.
    client.post(url)
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.RESET).count() == 1


def test_the_person_page_links_hr_to_the_reset(client_for, cast):
    assert "second-factor/reset/" in client_for("hr").get(f"/people/{cast.report.pk}/").content.decode()
    assert "second-factor/reset/" not in client_for("manager").get(f"/people/{cast.report.pk}/").content.decode()


def test_a_person_hr_cannot_see_is_a_404(client_for, cast):
    assert client_for("hr").get("/people/999999/second-factor/reset/").status_code == 404


def test_the_sign_in_log_pages_in_a_flat_number_of_queries(client_for, cast, django_assert_max_num_queries):
    people = [EmployeeFactory() for _ in range(30)]
    for person in people:
        SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, user=person.user, email=person.user.email)
        SignInEvent.objects.create(kind=SignInEvent.Kind.RESET, user=person.user, by=cast.hr.user, method="totp")
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, email="nobody@test.example", method="password")
    client = client_for("hr")
    client.get("/audit/sign-ins/")
    # The session and the user with their roles (2), the page's count (1) and its rows with both people (1).
    with django_assert_max_num_queries(5):
        response = client.get("/audit/sign-ins/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<tr>") == 26  # the header and 25 rows
    assert "Second factor reset by HR" in page
    filtered = client.get("/audit/sign-ins/?kind=failed").content.decode()
    assert "nobody@test.example" in filtered and "Second factor reset by HR</td>" not in filtered
    assert client.get("/audit/sign-ins/?kind=nonsense&page=zzz").status_code == 200
    one = client.get(f"/audit/sign-ins/?person={people[0].pk}").content.decode()
    assert one.count("<tr>") == 3 and people[0].full_name in one
    assert client.get("/audit/sign-ins/?person=999999").status_code == 404


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "-1", " 1"])
def test_a_person_that_is_not_an_id_is_no_one_never_a_500(client_for, cast, value):
    # "²".isdigit() is true, and int("²") raised.
    assert client_for("hr").get("/audit/sign-ins/", {"person": value}).status_code in (200, 404)


def test_a_sign_in_from_an_address_that_is_not_one_is_logged_without_it(client, cast):
    response = client.post(
        "/accounts/login/", {"username": "hr@test.example", "password": "wrong"}, REMOTE_ADDR="not-an-address"
    )
    assert response.status_code == 200
    assert SignInEvent.objects.get(kind=SignInEvent.Kind.FAILED).ip is None


@pytest.mark.parametrize("preference", [User.Mail.WEEKLY, User.Mail.DAILY, User.Mail.OFF])
def test_the_person_is_emailed_at_once_whatever_their_digest_preference(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks, preference
):
    # A second factor they did not ask to lose is a security notice: a week in the digest (or never, "off") is too
    # late for "this was not me".
    User.objects.filter(pk=cast.report.user.pk).update(mail=preference)
    enrol_totp(cast.report.user)
    client = client_for("hr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{cast.report.pk}/second-factor/reset/")
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("Your Alliance second factor was reset", ["report@test.example"])
    ]
    assert Notification.objects.get(user=cast.report.user).mailed
