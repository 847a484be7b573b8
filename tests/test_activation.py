"""Sign-in links: a person added by HR (form or CSV import) chooses a first password from an emailed link."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import Employee, SignInLink
from tests.factories import EmployeeFactory

NEW_PERSON = {
    "first_name": "Nina",
    "last_name": "Berg",
    "email": "nina@example.com",
    "employee_number": "N-1",
    "hire_date": "2024-03-01",
}
NEW_PASSWORD = "plum-harbour-quietly-27"


def link_in(message):
    return re.search(r"http://\S+/accounts/activate/\S+/", message.body).group(0)


def add_person(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:create"), {**NEW_PERSON, **changes})
    assert response.status_code == 302, response.context and response.context["form"].errors
    return Employee.objects.get(employee_number=NEW_PERSON["employee_number"])


def set_password(client, url, password=NEW_PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_new_person_gets_a_link_sets_a_password_and_signs_in(client_for, cast, django_capture_on_commit_callbacks):
    nina = add_person(client_for("hr"), django_capture_on_commit_callbacks)
    assert not nina.user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["nina@example.com"]]
    url = link_in(mail.outbox[0])

    visitor = Client()
    page = visitor.get(url)
    assert page.status_code == 200 and "nina@example.com" in page.content.decode()
    response = set_password(visitor, url)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert visitor.get(reverse("dashboard")).context["user"].pk == nina.user_id  # signed in
    nina.user.refresh_from_db()
    assert nina.user.check_password(NEW_PASSWORD)
    assert SignInLink.objects.get().used_at is not None

    # And the password works on the sign-in page.
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "nina@example.com", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert fresh.get(reverse("dashboard")).status_code == 200


def test_passwords_are_checked_by_djangos_validators(client_for, cast, django_capture_on_commit_callbacks):
    add_person(client_for("hr"), django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    response = set_password(Client(), url, password="123")
    assert response.status_code == 200 and response.context["form"].errors
    assert SignInLink.objects.get().used_at is None


def test_a_link_works_once(client_for, cast, django_capture_on_commit_callbacks):
    add_person(client_for("hr"), django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    set_password(Client(), url)
    again = Client().get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert set_password(Client(), url, "another-password-entirely-9").status_code == 410


def test_an_expired_link_says_ask_hr(client_for, cast, django_capture_on_commit_callbacks):
    nina = add_person(client_for("hr"), django_capture_on_commit_callbacks)
    SignInLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get(link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "expired" in response.content.decode() and "Ask HR" in response.content.decode()
    nina.user.refresh_from_db()
    assert not nina.user.has_usable_password()


def test_a_tampered_link_is_not_found(client_for, cast, django_capture_on_commit_callbacks):
    add_person(client_for("hr"), django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    response = Client().get(url[:-3] + "xx/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert set_password(Client(), url[:-3] + "xx/").status_code == 404


def test_a_new_link_replaces_the_old_one_after_confirmation(client_for, cast, django_capture_on_commit_callbacks):
    hr = client_for("hr")
    nina = add_person(hr, django_capture_on_commit_callbacks)
    first = link_in(mail.outbox[0])
    send = reverse("people:send_link", args=[nina.pk])
    confirm = hr.post(send)
    assert confirm.status_code == 200 and "will stop working" in confirm.content.decode()
    assert SignInLink.objects.count() == 1 and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert hr.post(send, {"confirm": "yes"}).status_code == 302
    assert SignInLink.objects.count() == 2 and len(mail.outbox) == 2
    assert "a newer one was sent" in Client().get(first).content.decode()
    assert set_password(Client(), link_in(mail.outbox[1])).status_code == 302


def test_only_hr_sends_links(client_for, cast, django_capture_on_commit_callbacks):
    person = EmployeeFactory(manager=cast.report_report)
    person.user.set_unusable_password()
    person.user.save()
    send = reverse("people:send_link", args=[person.pk])
    assert client_for("manager").post(send).status_code == 403  # sees the person (their subtree), may not send
    assert client_for("other").post(send).status_code == 404  # does not see the person
    assert client_for("anonymous").post(send).status_code == 302  # to the sign-in page
    assert not SignInLink.objects.exists() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("hr").post(send).status_code == 302
    assert SignInLink.objects.filter(employee=person).count() == 1
    assert [m.to for m in mail.outbox] == [[person.user.email]]


def test_sending_a_link_is_post_only(client_for, cast):
    assert client_for("hr").get(reverse("people:send_link", args=[cast.report.pk])).status_code == 405


def test_an_activated_account_gets_no_link(client_for, cast):
    response = client_for("hr").post(reverse("people:send_link", args=[cast.report.pk]), follow=True)
    assert "already chosen a password" in response.content.decode()
    assert not SignInLink.objects.exists()


def test_person_page_shows_activation_to_hr_only(client_for, cast, django_capture_on_commit_callbacks):
    hr = client_for("hr")
    nina = add_person(hr, django_capture_on_commit_callbacks, manager_ref=cast.manager.employee_number)
    page = hr.get(nina.get_absolute_url()).content.decode()
    assert "Not activated yet." in page and "Last sign-in link sent" in page and "Send sign-in link" in page
    set_password(Client(), link_in(mail.outbox[0]))
    page = hr.get(nina.get_absolute_url()).content.decode()
    assert "Activated" in page and "Send sign-in link" not in page
    manager_page = client_for("manager").get(nina.get_absolute_url()).content.decode()
    assert "Sign-in" not in manager_page and "Send sign-in link" not in manager_page


def test_alumni_invitations_are_unaffected(client_for, cast, django_capture_on_commit_callbacks):
    # An invitation sets a usable password too: the person then counts as activated.
    nina = add_person(client_for("hr"), django_capture_on_commit_callbacks)
    nina.user.set_password(NEW_PASSWORD)
    nina.user.save()
    response = client_for("hr").post(reverse("people:send_link", args=[nina.pk]), {"confirm": "yes"}, follow=True)
    assert "already chosen a password" in response.content.decode()


@pytest.mark.parametrize("token", ["x", "a" * 500, "%00", "..%2F"])
def test_odd_tokens_are_not_found(client, db, token):
    assert client.get(f"/accounts/activate/{token}/").status_code == 404
