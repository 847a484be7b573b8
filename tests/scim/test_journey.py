"""End to end, as HR and the new person see it: the identity provider creates Ada, HR finds her in the people
directory, her activation email is sent and she signs in; then the identity provider deactivates her: she is on
the alumni side (HR's roster, the departed people), her session ends and her sign-in opens no employee page."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alliance import tokens
from alliance.models import Employee, OutgoingEmail
from portal import privacy
from tests.scim.shapes import ScimClient, okta_user, patch

pytestmark = pytest.mark.django_db

PASSWORD = "plum-harbour-quietly-27"


def test_scim_create_then_deactivate_as_hr_and_the_person_see_it(
    scim, cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, user = scim.post("Users", okta_user(title="Analyst"))
    assert status == 201
    ada = Employee.objects.select_related("user").get(pk=user["id"])

    # HR sees her in the people directory, employed, with her page.
    hr = Client()
    hr.force_login(cast.hr.user)
    directory = hr.get(reverse("people:list"), {"q": "Lovelace"})
    assert directory.status_code == 200 and "Ada Lovelace" in directory.content.decode()
    assert hr.get(ada.get_absolute_url()).status_code == 200

    # Her activation email was queued in the request's transaction and sent by the worker (immediate here).
    assert OutgoingEmail.objects.filter(sent_at__isnull=False).count() == 1
    assert [m.to for m in mail.outbox] == [["ada.lovelace@example.com"]]
    link = re.search(r"http://\S+/accounts/activate/\S+/", mail.outbox[0].body).group(0)
    person = Client()
    response = person.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert person.get(reverse("tours:index")).status_code == 200  # an employee's page

    # The identity provider deactivates her (Okta's shape).
    status, user = scim.patch(f"Users/{ada.pk}", patch({"op": "replace", "value": {"active": False}}))
    assert status == 200 and user["active"] is False

    # HR: she is among the departed people and on the alumni roster; her person page says so.
    departed = hr.get(reverse("people:list"), {"q": "Lovelace", "status": "departed"})
    assert "Ada Lovelace" in departed.content.decode()
    active = hr.get(reverse("people:list"), {"q": "Lovelace"})
    assert "Ada Lovelace" not in active.content.decode()
    assert "Ada Lovelace" in hr.get(reverse("alumni:roster")).content.decode()

    # Her open session ended; signing in again opens no employee page, only "Your access has ended".
    assert person.get(reverse("tours:index")).status_code == 302
    signed_in = person.post(reverse("login"), {"username": "ada.lovelace@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert person.get(reverse("tours:index")).status_code == 403
    assert "Your access has ended" in person.get(reverse("dashboard")).content.decode()


def test_the_demo_company_is_provisioned_by_its_identity_provider(demo_company, client):
    """`make run`: Northwind's named people carry Okta's ids, HR's person page says SCIM keeps them, and a
    scim token made as the README says finds Emma by her externalId."""
    hr = Employee.objects.get(user__email="hr@example.com").user
    emma = Employee.objects.get(user__email="employee@example.com")
    _, raw = tokens.issue(hr, name="Okta SCIM", scopes=["scim"], kind="service")
    scim = ScimClient(client, raw)
    status, found = scim.search("Users", filter='externalId eq "00u-northwind-d-004"')
    assert status == 200 and [u["userName"] for u in found["Resources"]] == ["employee@example.com"]
    page = Client()
    page.force_login(hr)
    assert "Provisioned by SCIM" in page.get(emma.get_absolute_url()).content.decode()
    page.force_login(emma.manager.user)  # the manager sees the person, not how HR's systems keep them
    response = page.get(emma.get_absolute_url())
    assert response.status_code == 200 and "Provisioned by SCIM" not in response.content.decode()


def test_erasure_forgets_the_identity_providers_id(scim, cast):
    Employee.objects.filter(pk=cast.alumnus.pk).update(external_id="00u-alma")
    privacy.erase(cast.alumnus)
    assert Employee.objects.get(pk=cast.alumnus.pk).external_id is None
    status, found = scim.search("Users", filter='externalId eq "00u-alma"')
    assert status == 200 and found["totalResults"] == 0
