"""Okta's SCIM 2.0 integration, request by request: it looks the user up by userName (startIndex=1&count=100),
creates them, replays, PUTs the whole profile, and deactivates with a path-less PATCH
`{"op": "replace", "value": {"active": false}}`. Shapes from Okta's "SCIM 2.0" reference."""

import datetime
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.models import Employee, Notification, SignInLink, Team
from alumni.models import AlumniProfile, Departure
from tests.factories import EmployeeFactory, make_tour
from tests.scim.shapes import okta_user, patch
from tours.models import Tour

pytestmark = pytest.mark.django_db

LOOKUP = "Users?filter=userName%20eq%20%22ada.lovelace%40example.com%22&startIndex=1&count=100"
DEACTIVATE = patch({"op": "replace", "value": {"active": False}})


def create(scim, body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return scim.post("Users", body)


def test_okta_looks_up_creates_and_the_person_gets_their_sign_in_link(scim, cast, django_capture_on_commit_callbacks):
    status, found = scim.get(LOOKUP)
    assert status == 200 and found["totalResults"] == 0 and found["Resources"] == []
    status, user = create(scim, okta_user(), django_capture_on_commit_callbacks)
    assert status == 201, user
    assert scim.response["Location"] == f"http://testserver/scim/v2/Users/{user['id']}"
    ada = Employee.objects.select_related("user").get(pk=user["id"])
    assert (ada.first_name, ada.last_name, ada.user.email) == ("Ada", "Lovelace", "ada.lovelace@example.com")
    assert ada.external_id == "00u1abcdEFGH2345" and ada.hire_date == timezone.localdate()
    assert ada.employee_number.startswith("scim-") and not ada.user.has_usable_password()
    assert ada.manager is None and ada.team is None and ada.tree_path == f"/{ada.pk}/"
    assert user["active"] is True and user["userName"] == "ada.lovelace@example.com"
    # The activation link of HR's "new person" page, one email, and the HR account on the audit trail.
    assert [m.to for m in mail.outbox] == [["ada.lovelace@example.com"]]
    assert re.search(r"/accounts/activate/\S+/", mail.outbox[0].body)
    assert SignInLink.objects.filter(employee=ada, sent_by=cast.hr.user).count() == 1
    assert ada.history.get().history_user == cast.hr.user
    status, found = scim.get(LOOKUP)
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == str(ada.pk)


def test_a_replayed_create_is_409_uniqueness_and_leaves_one_person_and_one_email(
    scim, cast, django_capture_on_commit_callbacks
):
    status, first = create(scim, okta_user(), django_capture_on_commit_callbacks)
    assert status == 201
    status, again = create(scim, okta_user(), django_capture_on_commit_callbacks)
    assert status == 409 and again["scimType"] == "uniqueness" and "userName" in again["detail"]
    status, again = create(scim, okta_user(email="ADA.Lovelace@Example.com"), django_capture_on_commit_callbacks)
    assert status == 409 and again["scimType"] == "uniqueness"
    assert Employee.objects.filter(user__email="ada.lovelace@example.com").count() == 1
    assert len(mail.outbox) == 1
    # Another person with the same externalId is refused too.
    status, clash = create(scim, okta_user(email="someone@example.com"), django_capture_on_commit_callbacks)
    assert status == 409 and "externalId" in clash["detail"]
    assert not Employee.objects.filter(user__email="someone@example.com").exists()


def test_okta_puts_the_same_profile_and_nothing_is_written(scim, cast, django_capture_on_commit_callbacks):
    status, user = create(scim, okta_user(), django_capture_on_commit_callbacks)
    ada = Employee.objects.get(pk=user["id"])
    stamp, history = ada.updated_at, (ada.history.count(), ada.user.history.count())
    status, again = scim.put(f"Users/{ada.pk}", {**okta_user(), "id": user["id"]})
    assert status == 200 and again == user
    ada.refresh_from_db()
    assert ada.updated_at == stamp and (ada.history.count(), ada.user.history.count()) == history


def test_okta_puts_a_changed_profile(scim, cast, django_capture_on_commit_callbacks):
    status, user = create(scim, okta_user(), django_capture_on_commit_callbacks)
    body = okta_user(email="ada.king@example.com", family="King", title="Analyst")
    body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = {
        "department": "engineering",
        "manager": {"value": str(cast.manager.pk)},
    }
    status, changed = scim.put(f"Users/{user['id']}", body)
    assert status == 200, changed
    ada = Employee.objects.select_related("user", "team").get(pk=user["id"])
    assert (ada.last_name, ada.user.email, ada.job_title) == ("King", "ada.king@example.com", "Analyst")
    assert ada.team.name == "Engineering" and Team.objects.filter(name__iexact="engineering").count() == 1
    assert ada.manager == cast.manager and ada.tree_path == f"{cast.manager.tree_path}{ada.pk}/"
    assert changed["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"] == str(
        cast.manager.pk
    )
    assert changed["groups"][0]["display"] == "Engineering"
    assert ada.history.count() == 2 and ada.history.first().history_user == cast.hr.user


def test_okta_deactivates_with_the_departure_service_once_however_often_it_asks(scim, cast):
    person = EmployeeFactory(manager=cast.manager, first_name="Dan", last_name="Dee")
    tour = make_tour(person, state="agreed", start=timezone.localdate() - datetime.timedelta(days=100))
    session = SessionStore()
    session["_auth_user_id"] = str(person.user.pk)
    session.create()
    status, user = scim.patch(f"Users/{person.pk}", DEACTIVATE)
    assert status == 200 and user["active"] is False
    person.refresh_from_db()
    assert person.departure_date == timezone.localdate() and person.has_left()
    departure = Departure.objects.get(employee=person)
    assert departure.reason == Departure.Reason.OTHER and departure.recorded_by == cast.hr.user
    assert departure.exit_notes == "Deactivated in the identity provider (SCIM)." and not departure.invite
    assert departure.access_removed_at is not None and {h.history_user for h in departure.history.all()} == {
        cast.hr.user
    }
    assert AlumniProfile.objects.filter(employee=person).exists()
    assert not Session.objects.filter(pk=session.session_key).exists()
    tour.refresh_from_db()
    assert tour.state == Tour.State.ENDED_EARLY and tour.ended_on == timezone.localdate()
    history = person.history.count()
    for replay in (DEACTIVATE, DEACTIVATE, {**okta_user(email=person.user.email), "active": False}):
        method = scim.put if "Operations" not in replay else scim.patch
        if method == scim.put:
            replay = {**replay, "name": {"givenName": "Dan", "familyName": "Dee"}, "externalId": None}
        status, again = method(f"Users/{person.pk}", replay)
        assert status == 200 and again["active"] is False, again
    assert Departure.objects.filter(employee=person).count() == 1 and person.history.count() == history
    told = Notification.objects.filter(message__contains="deactivated in the identity provider")
    assert [n.user for n in told] == [cast.hr.user]  # HR follows it up (eligibility, the alumni invitation), once


def test_active_true_for_someone_who_left_is_refused_with_the_way_to_rehire(scim, cast):
    status, body = scim.patch(f"Users/{cast.alumnus.pk}", patch({"op": "replace", "value": {"active": True}}))
    assert status == 400 and body["scimType"] == "invalidValue"
    assert "left on" in body["detail"] and "rehire" in body["detail"]
    cast.alumnus.refresh_from_db()
    assert cast.alumnus.has_left()
    # Asked together with a name change: all or nothing.
    status, body = scim.put(
        f"Users/{cast.alumnus.pk}", okta_user(email=cast.alumnus.user.email, given="Renamed", family="Udo")
    )
    assert status == 400
    assert Employee.objects.get(pk=cast.alumnus.pk).first_name == "Alma"


def test_a_person_created_inactive_is_recorded_and_left_at_once_without_a_link(
    scim, cast, django_capture_on_commit_callbacks
):
    status, user = create(scim, okta_user(active=False), django_capture_on_commit_callbacks)
    assert status == 201 and user["active"] is False
    assert Departure.objects.filter(employee_id=user["id"]).count() == 1
    assert mail.outbox == []


def test_okta_pages_through_users_with_start_index_and_count(scim, cast):
    EmployeeFactory.create_batch(5)
    status, first = scim.get("Users?startIndex=1&count=4")
    total = Employee.objects.count()
    assert first["totalResults"] == total and first["itemsPerPage"] == 4 and first["startIndex"] == 1
    status, rest = scim.get("Users?startIndex=5&count=100")
    ids = [u["id"] for u in first["Resources"] + rest["Resources"]]
    assert ids == [str(pk) for pk in Employee.objects.order_by("pk").values_list("pk", flat=True)]
    status, none = scim.get("Users?count=0")
    assert none["totalResults"] == total and none["Resources"] == []
    status, odd = scim.get("Users?startIndex=-3&count=-1")
    assert status == 200 and odd["startIndex"] == 1 and odd["Resources"] == []
    status, bad = scim.get("Users?count=lots")
    assert status == 400 and bad["scimType"] == "invalidValue"


def test_the_people_list_costs_the_same_queries_for_10_and_100_people(scim, cast):
    """Queries: the token (with its user), the HR permission (user's, group's) and person of the token's account
    (roles), the use recorded (insert + last-used update, in a savepoint pair), then the count and the page (user,
    team and manager joined): 8 queries and 2 savepoint statements. Flat: 100 people cost what 10 do."""
    EmployeeFactory.create_batch(4, manager=cast.manager)
    scim.get("Users?startIndex=1&count=100")

    def cost():
        with CaptureQueriesContext(connection) as captured:
            status, body = scim.get("Users?startIndex=1&count=100")
        assert status == 200
        return len(captured), body["itemsPerPage"]

    small, shown = cost()
    assert shown == 10
    EmployeeFactory.create_batch(90, manager=cast.report)
    large, shown = cost()
    assert shown == 100 and large == small, (small, large)
    assert large == 10
