"""A future hire deactivated in the identity provider before their first day (the offer withdrawn, the candidate
gone elsewhere). A departure cannot come before the hire date, so this was a 400 that Okta and Entra retry forever.
Now the hire is withdrawn (alumni.departures.hire_withdraw): employed no day, sign-in closed at once, no alumni
profile and no invitation, HR told; every later request for the same thing is a harmless 200/204."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import Employee, Notification, SignInLink
from alumni import departures as alumni_departures
from alumni.models import AlumniProfile, Departure, Invitation
from signin.matching import may_use_sso
from tests.factories import make_tour
from tests.scim.shapes import okta_user, patch
from tests.scim.subscriber import tour_ended_endpoint, tour_ended_sent
from tours.models import Tour

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY + datetime.timedelta(days=14)
PASSWORD = "plum-harbour-quietly-27"
DEACTIVATE = patch({"op": "replace", "value": {"active": False}})  # Okta
ENTRA_DISABLE = patch({"op": "Replace", "path": "active", "value": "False"})


@pytest.fixture
def nina(cast, client_for, django_capture_on_commit_callbacks):
    """Nina, added by HR with a start two weeks ahead; she activates her link and reads her welcome page."""
    hr = client_for("hr")
    data = {
        "first_name": "Nina",
        "last_name": "Berg",
        "email": "nina@example.com",
        "employee_number": "N-1",
        "job_title": "Analyst",
        "manager_ref": cast.manager.employee_number,
        "hire_date": START.isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert hr.post(reverse("people:create"), data).status_code == 302
    hr.logout()
    nina = Employee.objects.select_related("user").get(employee_number="N-1")
    Employee.objects.filter(pk=nina.pk).update(external_id="00u-nina")
    assert nina.starts_later()
    return nina


def signed_in(nina):
    """Nina's own browser: activated through her emailed link, signed in."""
    link = re.search(r"http://[^/\s]+(/accounts/activate/\S+/)", mail.outbox[-1].body).group(1)
    browser = Client()
    assert browser.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302
    assert browser.post(reverse("login"), {"username": nina.user.email, "password": PASSWORD}).status_code == 302
    assert browser.session.get("_auth_user_id") == str(nina.user.pk)
    return browser


def test_okta_deactivating_a_starter_withdraws_the_hire_and_she_cannot_sign_in(
    scim, cast, nina, client_for, django_capture_on_commit_callbacks
):
    browser = signed_in(nina)
    tour = make_tour(nina, state="agreed", start=START, author=cast.manager.user)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        status, user = scim.patch(f"Users/{nina.pk}", DEACTIVATE)
    assert status == 200 and user["active"] is False, user

    nina.refresh_from_db()
    # Employed no day: hired and left today, in every rule; neither employed nor starting.
    assert nina.hire_date == nina.departure_date == TODAY
    assert not nina.is_active_on() and not nina.starts_later() and nina.has_left()
    assert nina not in Employee.objects.not_left() and nina in Employee.objects.departed()
    departure = Departure.objects.get(employee=nina)
    assert departure.reason == Departure.Reason.OTHER and departure.recorded_by == cast.hr.user
    assert departure.exit_notes == (
        f"Hire withdrawn before the start date ({START:%d %b %Y}). Deactivated in the identity provider (SCIM)."
    )
    assert not departure.invite and departure.access_removed_at is not None
    # On the audit trail as HR's (the token's account), with the planned start kept there.
    assert {h.history_user for h in departure.history.all()} == {cast.hr.user}
    last = nina.history.order_by("-history_id").first()
    assert last.history_user == cast.hr.user and last.departure_date == TODAY
    assert START in set(nina.history.values_list("hire_date", flat=True))
    # Not an alumnus and no invitation: no profile, no invitation row, no email sent by the request.
    assert not AlumniProfile.objects.filter(employee=nina).exists()
    assert not Invitation.objects.filter(employee=nina).exists()
    assert len(mail.outbox) == sent
    tour.refresh_from_db()
    assert tour.state == Tour.State.ENDED_EARLY and tour.ended_on == START and tour.end_reason == "Hire withdrawn."
    told = Notification.objects.filter(message__contains="hire is withdrawn")
    assert [n.user for n in told] == [cast.hr.user]

    # Her sign-in is closed: the open session ended, her password no longer works, no reset mail, no SSO.
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    assert browser.get(reverse("tours:index")).status_code == 302
    again = Client()
    response = again.post(reverse("login"), {"username": "nina@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in again.session
    with django_capture_on_commit_callbacks(execute=True):
        again.post(reverse("password_reset"), {"email": "nina@example.com"})
    assert len(mail.outbox) == sent
    assert not may_use_sso(Employee.objects.get(pk=nina.pk).user)
    assert not SignInLink.objects.filter(employee=nina, used_at__isnull=True, revoked_at__isnull=True).exists()

    # HR: among the departed people, not on the alumni roster; no invitation can be sent from an alumni page.
    hr = client_for("hr")
    assert "Nina Berg" in hr.get(reverse("people:list"), {"q": "Berg", "status": "departed"}).text
    assert "Nina Berg" not in hr.get(reverse("people:list"), {"q": "Berg"}).text
    assert "Nina Berg" not in hr.get(reverse("alumni:roster")).text


@pytest.mark.parametrize(
    "method, body, expected",
    [
        ("patch", DEACTIVATE, 200),
        ("patch", ENTRA_DISABLE, 200),
        ("put", {**okta_user(email="nina@example.com", given="Nina", family="Berg"), "active": False}, 200),
        ("delete", None, 204),
    ],
    ids=["okta-patch", "entra-patch", "put", "delete"],
)
def test_every_deactivation_shape_withdraws_a_starter_once_however_often_it_is_sent(
    scim, cast, nina, method, body, expected
):
    url = f"Users/{nina.pk}"
    if method == "put":
        body = {**body, "externalId": "00u-nina"}
    call = getattr(scim, method)
    status, _ = call(url, body) if body is not None else call(url)
    assert status == expected
    nina.refresh_from_db()
    stamp, history = nina.updated_at, nina.history.count()
    departure_history = Departure.history.filter(employee_id=nina.pk).count()
    for _ in range(2):  # the identity provider retries, or sends the same thing on its next cycle
        status, _ = call(url, body) if body is not None else call(url)
        assert status == expected
    nina.refresh_from_db()
    assert (nina.updated_at, nina.history.count()) == (stamp, history)
    assert Departure.objects.filter(employee=nina).count() == 1
    assert Departure.history.filter(employee_id=nina.pk).count() == departure_history
    assert Notification.objects.filter(message__contains="hire is withdrawn").count() == 1
    status, user = scim.get(url)
    assert status == 200 and user["active"] is False
    status, found = scim.search("Users", filter='externalId eq "00u-nina" and active eq false')
    assert [u["id"] for u in found["Resources"]] == [str(nina.pk)]


def test_a_starter_with_a_fixed_term_recorded_ahead_is_withdrawn_and_its_alumni_profile_goes(scim, cast, nina):
    """HR recorded her fixed term (a departure ahead, with the alumni invitation asked for): the departure
    opened an alumni profile. Withdrawn, she has one departure, today's, and no profile and no invitation to come."""
    alumni_departures.offboard(
        employee=nina,
        by=cast.hr.user,
        departure_date=START + datetime.timedelta(days=180),
        reason=Departure.Reason.END_OF_TOUR,
        exit_notes="Fixed term.",
        company_kept="",
        employee_kept="",
        invite=True,
    )
    assert AlumniProfile.objects.filter(employee=nina).exists()
    status, user = scim.delete(f"Users/{nina.pk}")
    assert status == 204
    departure = Departure.objects.get(employee=nina)
    assert departure.departure_date == TODAY and not departure.invite and departure.access_removed_at
    assert not AlumniProfile.objects.filter(employee=nina).exists()
    assert alumni_departures.departures_apply(today=START + datetime.timedelta(days=200)) == 0
    assert not Invitation.objects.filter(employee=nina).exists()


def test_a_tour_the_fixed_term_ended_ends_on_its_start_and_the_subscriber_is_told(
    scim, cast, nina, receiver, django_capture_on_commit_callbacks
):
    """Her fixed term ended her agreed tour on its last day, half a year after her start, and a subscriber to
    tour.ended was told. Withdrawn, she works no day: the tour ends on its start, as an agreed tour would, and the
    subscriber is sent that date (the same payload: the latest is the truth). A repeat sends nothing more."""
    tour = make_tour(nina, state="agreed", start=START, author=cast.manager.user)
    endpoint = tour_ended_endpoint(receiver, cast)
    last_day = START + datetime.timedelta(days=180)
    with django_capture_on_commit_callbacks(execute=True):
        alumni_departures.offboard(
            employee=nina, by=cast.hr.user, departure_date=last_day, reason=Departure.Reason.END_OF_TOUR,
            exit_notes="Fixed term.", company_kept="", employee_kept="", invite=False,
        )  # fmt: skip
    first = ("tour.ended", "tour.ended", tour.pk, "ended_early", last_day.isoformat())
    assert tour_ended_sent(endpoint) == [first]

    with django_capture_on_commit_callbacks(execute=True):
        assert scim.patch(f"Users/{nina.pk}", DEACTIVATE)[0] == 200
    tour.refresh_from_db()
    assert (tour.state, tour.ended_on) == (Tour.State.ENDED_EARLY, START)
    assert tour_ended_sent(endpoint) == [first, ("tour.ended", "tour.ended", tour.pk, "ended_early", START.isoformat())]
    assert [r.payload["data"]["ended_on"] for r in receiver.received] == [last_day.isoformat(), START.isoformat()]

    with django_capture_on_commit_callbacks(execute=True):
        assert scim.delete(f"Users/{nina.pk}")[0] == 204
    assert len(tour_ended_sent(endpoint)) == 2 and len(receiver.received) == 2


def test_active_true_for_a_withdrawn_hire_is_refused_with_what_hr_does_and_hr_can_undo_it(scim, cast, nina, client_for):
    assert scim.patch(f"Users/{nina.pk}", DEACTIVATE)[0] == 200
    status, body = scim.patch(f"Users/{nina.pk}", patch({"op": "replace", "value": {"active": True}}))
    assert status == 400 and body["scimType"] == "invalidValue"
    assert "hire was withdrawn" in body["detail"] and reverse("people:detail", args=[nina.pk]) in body["detail"]
    # HR's own way back: undo the departure on her page, then set her start date again.
    hr = client_for("hr")
    response = hr.post(reverse("people:undo_departure", args=[nina.pk]), {"confirm": "on"})
    assert response.status_code == 302
    nina.refresh_from_db()
    assert nina.departure_date is None and not Departure.objects.filter(employee=nina).exists()
    status, user = scim.get(f"Users/{nina.pk}")
    assert user["active"] is True


def test_a_person_already_employed_is_still_offboarded_not_withdrawn(scim, cast):
    status, user = scim.patch(f"Users/{cast.report.pk}", DEACTIVATE)
    assert status == 200 and user["active"] is False
    cast.report.refresh_from_db()
    assert cast.report.hire_date < TODAY and cast.report.departure_date == TODAY
    assert AlumniProfile.objects.filter(employee=cast.report).exists()  # HR may invite her from the alumni page
    assert "Hire withdrawn" not in Departure.objects.get(employee=cast.report).exit_notes


def test_a_person_created_inactive_today_is_told_about_a_rehire_not_a_withdrawn_hire(
    scim, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, user = scim.post("Users", okta_user(active=False))
    assert status == 201 and user["active"] is False
    status, body = scim.patch(f"Users/{user['id']}", patch({"op": "replace", "value": {"active": True}}))
    assert status == 400 and "rehire" in body["detail"] and "withdrawn" not in body["detail"]
