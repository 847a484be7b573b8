"""Someone still employed whose departure HR recorded for a later date, deactivated in the identity provider now.
offboard refused a second departure, so this was a 400 that Okta and Entra retry forever while the person kept
their access until the recorded date. Now the recorded departure is brought forward to today
(alumni.departures.departure_bring_forward): access goes at once, HR's reason and notes stay, HR is told; every
later request for the same thing is a harmless 200/204."""

import datetime
import json

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import Employee, Notification
from alumni import departures
from alumni.models import Departure, Invitation
from tests.factories import make_tour
from tests.scim.shapes import okta_user, patch
from tests.scim.subscriber import tour_ended_endpoint, tour_ended_sent
from tours.models import Tour
from webhooks.models import Message

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PLANNED = TODAY + datetime.timedelta(weeks=3)
DEACTIVATE = patch({"op": "replace", "value": {"active": False}})  # Okta
ENTRA_DISABLE = patch({"op": "Replace", "path": "active", "value": "False"})
NOTES = "Moving to Lisbon; handover to Ravi."
TOLD = "deactivated in the identity provider before their departure"


def record_departure(rita, hr, *, invite):
    """HR records Rita's resignation three weeks ahead: her agreed tour ends that day (offboard)."""
    return departures.offboard(
        employee=rita,
        by=hr.user,
        departure_date=PLANNED,
        reason=Departure.Reason.RESIGNED,
        exit_notes=NOTES,
        company_kept="yes",
        employee_kept="partly",
        invite=invite,
        rehire_eligible=True,
        rehire_reason="Strong engineer.",
    )


@pytest.fixture
def rita(cast):
    """Rita, employed since 2020, with an agreed tour that began a year ago and her departure recorded ahead."""
    rita = cast.report
    Employee.objects.filter(pk=rita.pk).update(external_id="00u-rita")
    make_tour(rita, state="agreed", start=TODAY - datetime.timedelta(days=365), author=cast.manager.user)
    record_departure(rita, cast.hr, invite=False)
    rita.refresh_from_db()
    assert rita.departure_date == PLANNED and rita.is_active_on()
    return rita


def signed_in(person):
    browser = Client()
    browser.force_login(person.user)
    assert browser.get(reverse("tours:index")).status_code == 200
    return browser


def test_okta_deactivating_her_brings_the_departure_forward_and_her_access_ends_today(scim, cast, rita):
    browser = signed_in(rita)
    tour = Tour.objects.get(employee=rita)
    assert tour.state == Tour.State.ENDED_EARLY and tour.ended_on == PLANNED

    status, user = scim.patch(f"Users/{rita.pk}", DEACTIVATE)
    assert status == 200 and user["active"] is False, user

    rita.refresh_from_db()
    assert rita.departure_date == TODAY and rita.has_left() and not rita.is_active_on()
    departure = Departure.objects.get(employee=rita)  # still one departure: HR's, dated today
    assert departure.departure_date == TODAY and departure.access_removed_at is not None
    assert (departure.reason, departure.exit_notes) == (Departure.Reason.RESIGNED, NOTES)
    assert (departure.rehire_eligible, departure.rehire_reason) == (True, "Strong engineer.")
    assert departure.recorded_by == cast.hr.user and not departure.invite
    tour.refresh_from_db()  # ended by the departure: now today; its outcome and answers as recorded
    assert tour.ended_on == TODAY and tour.state == Tour.State.ENDED_EARLY
    assert (tour.end_reason, tour.company_kept, tour.employee_kept) == ("Left: resigned mid-tour.", "yes", "partly")

    # Her open session ended: the page sends her to sign in.
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    response = browser.get(reverse("tours:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    status, user = scim.get(f"Users/{rita.pk}")
    assert status == 200 and user["active"] is False

    # HR is told, with the date it was planned for.
    told = Notification.objects.filter(message__contains=TOLD)
    assert [n.user for n in told] == [cast.hr.user]
    assert f"{PLANNED:%d %b %Y}" in told.get().message and rita.get_absolute_url() == told.get().url
    # No invitation: HR did not ask for one.
    assert not Invitation.objects.filter(employee=rita).exists()
    # The daily step on the planned date finds nothing left to do.
    assert departures.departures_apply(today=PLANNED) == 0


@pytest.mark.parametrize(
    "method, body, expected",
    [
        ("patch", DEACTIVATE, 200),
        ("patch", ENTRA_DISABLE, 200),
        ("put", {**okta_user(email="report@test.example", given="Rita", family="Ortiz"), "active": False}, 200),
        ("delete", None, 204),
    ],
    ids=["okta-patch", "entra-patch", "put", "delete"],
)
def test_every_deactivation_shape_brings_it_forward_once_however_often_it_is_sent(
    scim, cast, rita, method, body, expected
):
    browser = signed_in(rita)
    url = f"Users/{rita.pk}"
    if method == "put":
        body = {**body, "externalId": "00u-rita"}
    call = getattr(scim, method)
    status, _ = call(url, body) if body is not None else call(url)
    assert status == expected

    rita.refresh_from_db()
    departure = Departure.objects.get(employee=rita)
    assert rita.departure_date == departure.departure_date == TODAY
    assert (departure.reason, departure.exit_notes) == (Departure.Reason.RESIGNED, NOTES)
    assert Tour.objects.get(employee=rita).ended_on == TODAY
    assert browser.get(reverse("tours:index")).status_code == 302
    assert Notification.objects.filter(message__contains=TOLD).count() == 1

    stamp, history = rita.updated_at, rita.history.count()
    departure_history = departure.history.count()
    for _ in range(2):  # the identity provider retries, or sends the same thing on its next cycle
        status, _ = call(url, body) if body is not None else call(url)
        assert status == expected
    rita.refresh_from_db()
    assert (rita.updated_at, rita.history.count()) == (stamp, history)
    assert Departure.objects.filter(employee=rita).count() == 1 and departure.history.count() == departure_history
    assert Notification.objects.filter(message__contains=TOLD).count() == 1
    status, user = scim.get(url)
    assert status == 200 and user["active"] is False


@pytest.mark.parametrize("invite", [True, False], ids=["invitation-asked", "no-invitation"])
def test_the_alumni_invitation_hr_asked_for_goes_at_once(scim, cast, django_capture_on_commit_callbacks, invite):
    """The invitation waits for the departure date (nobody still working is invited): that date is now today."""
    ravi = cast.report_report
    record_departure(ravi, cast.hr, invite=invite)
    assert not Invitation.objects.filter(employee=ravi).exists()
    with django_capture_on_commit_callbacks(execute=True):
        status, user = scim.patch(f"Users/{ravi.pk}", DEACTIVATE)
    assert status == 200 and user["active"] is False
    invitations = Invitation.objects.filter(employee=ravi)
    to_ravi = [m for m in mail.outbox if m.to == [ravi.user.email]]
    told = Notification.objects.get(message__contains=TOLD).message
    if invite:
        assert invitations.get().sent_by == cast.hr.user  # by whoever recorded the departure
        assert [m.subject for m in to_ravi] == ["Join our alumni network"]
        assert told.endswith("The alumni invitation asked for with it is sent now.")
    else:
        assert not invitations.exists() and to_ravi == []
        assert "invitation" not in told
    # A repeat sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert scim.patch(f"Users/{ravi.pk}", DEACTIVATE)[0] == 200
    assert Invitation.objects.filter(employee=ravi).count() == (1 if invite else 0)
    assert len([m for m in mail.outbox if m.to == [ravi.user.email]]) == len(to_ravi)


def test_a_tour_ended_subscriber_is_sent_the_new_end_once(
    scim, cast, client_for, receiver, django_capture_on_commit_callbacks
):
    """HR records Ravi's departure three weeks ahead on the leaving page: his tour ends that day, and the endpoint
    is told. Okta deactivates him today: the tour now ends today and the endpoint is told again, with the new date
    and the same payload (a subscriber keeps the latest). The identity provider's repeats send nothing more."""
    ravi = cast.report_report
    tour = make_tour(ravi, state="agreed", start=TODAY - datetime.timedelta(days=365), author=cast.manager.user)
    endpoint = tour_ended_endpoint(receiver, cast)
    leave = {"departure_date": PLANNED.isoformat(), "reason": "resigned", "company_kept": "yes", "employee_kept": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("hr").post(reverse("alumni:leave", args=[ravi.pk]), leave).status_code == 302
    first = ("tour.ended", "tour.ended", tour.pk, "ended_early", PLANNED.isoformat())
    assert tour_ended_sent(endpoint) == [first]

    with django_capture_on_commit_callbacks(execute=True):
        assert scim.patch(f"Users/{ravi.pk}", DEACTIVATE)[0] == 200
    tour.refresh_from_db()
    assert tour.ended_on == TODAY and tour.outcome == Tour.Outcome.ENDED_EARLY
    second = ("tour.ended", "tour.ended", tour.pk, "ended_early", TODAY.isoformat())
    assert tour_ended_sent(endpoint) == [first, second]
    sent = list(Message.objects.filter(endpoint=endpoint).order_by("pk"))
    assert json.loads(sent[1].body)["data"] == {
        "id": tour.pk, "employee_id": ravi.pk, "outcome": "ended_early", "ended_on": TODAY.isoformat()
    }  # fmt: skip
    assert set(json.loads(sent[0].body)["data"]) == set(json.loads(sent[1].body)["data"])
    assert all(m.delivered_at for m in sent) and [r.payload["data"]["ended_on"] for r in receiver.received] == [
        PLANNED.isoformat(),
        TODAY.isoformat(),
    ]

    for _ in range(2):  # Okta retries; Entra sends the same on its next cycle
        with django_capture_on_commit_callbacks(execute=True):
            assert scim.patch(f"Users/{ravi.pk}", ENTRA_DISABLE)[0] == 200
    assert tour_ended_sent(endpoint) == [first, second] and len(receiver.received) == 2
