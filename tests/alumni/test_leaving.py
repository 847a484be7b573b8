"""Offboarding end to end, access ending on the departure date, invitations, rehire."""

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alumni import services
from alumni.models import AlumniProfile, Departure, Invitation, Rehire
from tests.factories import make_tour
from tours.models import Tour

TODAY = datetime.date.today()


def leave_data(**extra):
    data = {
        "departure_date": TODAY.isoformat(),
        "reason": "resigned",
        "exit_notes": "Leaving to found a startup.",
        "company_kept": "yes",
        "employee_kept": "partly",
        "rehire_eligible": "yes",
        "rehire_reason": "Strong performer",
        "invite": "on",
    }
    data.update(extra)
    return data


def invitation_link():
    return re.search(r"http://\S+/alumni/invitation/\S+/", mail.outbox[-1].body).group(0)


def test_leave_flow_end_to_end(cast, client_for, django_capture_on_commit_callbacks):
    tour = make_tour(cast.report_report, state="agreed", start=TODAY - datetime.timedelta(days=300))
    hr = client_for("hr")
    assert "Did the company keep its promises" in hr.get(reverse("alumni:leave", args=[cast.report_report.pk])).text
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(reverse("alumni:leave", args=[cast.report_report.pk]), leave_data())
    assert response.status_code == 302
    person = cast.report_report
    person.refresh_from_db()
    assert person.departure_date == TODAY and not person.is_active_on()
    tour.refresh_from_db()
    assert tour.state == "ended_early" and tour.company_kept == "yes" and tour.employee_kept == "partly"
    departure = Departure.objects.get(employee=person)
    assert departure.rehire_eligible is True and departure.exit_notes == "Leaving to found a startup."
    assert AlumniProfile.objects.filter(employee=person, joined_at__isnull=True).exists()
    assert mail.outbox[-1].to == [person.user.email] and "/alumni/invitation/" in mail.outbox[-1].body


def test_the_leavers_manager_can_offboard_but_sets_no_eligibility(cast, client_for):
    manager = client_for("report")  # report_report's manager
    form = manager.get(reverse("alumni:leave", args=[cast.report_report.pk]))
    assert "Rehire eligibility" not in form.text
    manager.post(reverse("alumni:leave", args=[cast.report_report.pk]), leave_data(rehire_eligible="no"))
    assert Departure.objects.get().rehire_eligible is None
    assert client_for("report_report").get(reverse("alumni:leave", args=[cast.report.pk])).status_code == 404


def test_access_ends_on_the_departure_date_even_with_an_open_session(cast, client_for):
    client = client_for("report_report")
    assert client.get(reverse("tours:index")).status_code == 200
    # Departure today: is_active_on() is "departure date still ahead", so today they are departed.
    cast.report_report.departure_date = TODAY
    cast.report_report.save()
    assert client.get(reverse("tours:index")).status_code == 403
    assert client.get(reverse("networks:index")).status_code == 403
    assert client.get(reverse("people:detail", args=[cast.report_report.pk])).status_code == 404
    assert "Your access has ended" in client.get(reverse("dashboard")).text


def test_invitation_sets_a_password_once(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.hr.user)
        client.post(reverse("alumni:leave", args=[cast.report_report.pk]), leave_data())
        client.logout()
    link = invitation_link()
    assert Invitation.objects.get().token_hash not in link  # only the hash is stored
    page = client.get(link)
    assert page.status_code == 200 and "Choose a password" in page.text
    weak = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert "This password is too short" in weak.text
    response = client.post(link, {"new_password1": "a-long-new-secret-42", "new_password2": "a-long-new-secret-42"})
    assert response.url == reverse("alumni:me")
    assert client.get(reverse("alumni:me")).status_code == 200
    assert AlumniProfile.objects.get(employee=cast.report_report).joined_at is not None
    client.logout()
    reused = client.get(link)
    assert reused.status_code == 410 and "already been used" in reused.text


def test_expired_revoked_and_tampered_links_show_a_clear_page(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitation(employee=cast.alumnus, by=cast.hr.user)
    link = invitation_link()
    assert client.get(link[:-5] + "xxxx/").status_code == 404
    assert "not valid" in client.get(link[:-5] + "xxxx/").text
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "expired" in client.get(link).text
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1), revoked_at=timezone.now())
    assert "withdrawn" in client.get(link).text
    assert (
        client.post(
            link, {"new_password1": "a-long-new-secret-42", "new_password2": "a-long-new-secret-42"}
        ).status_code
        == 410
    )


def test_hr_resends_and_revokes(cast, client_for, django_capture_on_commit_callbacks):
    profile = cast.alumnus.alumni_profile
    hr = client_for("hr")
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("alumni:invite", args=[profile.pk]))
        hr.post(reverse("alumni:invite", args=[profile.pk]))
    states = sorted(i.state for i in Invitation.objects.all())
    assert states == ["open", "revoked"]  # resending revokes the older link
    open_one = Invitation.objects.get(revoked_at__isnull=True)
    assert "stop working" in hr.get(reverse("alumni:revoke", args=[profile.pk, open_one.pk])).text
    hr.post(reverse("alumni:revoke", args=[profile.pk, open_one.pk]))
    assert not [i for i in Invitation.objects.all() if i.state == "open"]


def test_rehire_keeps_history_and_asks_for_a_reason_when_ineligible(cast, client_for):
    person = cast.alumnus
    old = Tour.objects.create(
        employee=person,
        type="foundational",
        state="completed",
        title="Old tour",
        start_date=datetime.date(2020, 1, 1),
        created_by=cast.hr.user,
    )
    Departure.objects.create(
        employee=person,
        departure_date=person.departure_date,
        reason="other",
        rehire_eligible=False,
        rehire_reason="Left abruptly",
        recorded_by=cast.hr.user,
    )
    hr = client_for("hr")
    url = reverse("alumni:rehire", args=[person.alumni_profile.pk])
    data = {
        "rehired_on": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "manager": cast.manager.employee_number,
        "job_title": "Staff Engineer",
    }
    refused = hr.post(url, data)
    assert "Confirm the rehire" in refused.text and "Give the reason" in refused.text
    response = hr.post(url, {**data, "confirm": "on", "reason": "Changed circumstances"})
    assert response.status_code == 302
    person.refresh_from_db()
    # The start is a week ahead: employed again from that day (tests/test_departures.py follows it there).
    assert person.returns_on == TODAY + datetime.timedelta(days=7) and not person.is_active_on()
    # Title and manager change on that day too (issue 21): until then they are recorded for it.
    assert (person.returns_as, person.returns_to, person.job_title) == ("Staff Engineer", cast.manager, "Engineer")
    assert person.get_status_display().endswith("as Staff Engineer")
    assert Rehire.objects.get(employee=person).confirmed_ineligible
    # The draft first tour comes on the day, with the new manager (tests/test_joiners_leavers.py follows it).
    assert set(Tour.objects.filter(employee=person).values_list("state", flat=True)) == {"completed"}
    assert Tour.objects.filter(pk=old.pk).exists()


def test_a_departed_person_who_has_not_joined_reaches_nothing(cast, client_for):
    from alumni.models import AlumniProfile

    AlumniProfile.objects.filter(employee=cast.alumnus).update(joined_at=None)
    client = client_for("alumnus")
    for url in ("alumni:me", "alumni:directory", "networks:create", "networks:mine", "tours:index"):
        assert client.get(reverse(url)).status_code == 403, url
    assert "Your access has ended" in client.get(reverse("dashboard")).text


def test_revoking_leaves_an_accepted_invitation_accepted(cast):
    invitation = services.send_invitation(employee=cast.alumnus, by=cast.hr.user)
    assert services.invitation_revoke(invitation=invitation) == 1
    assert Invitation.objects.get(pk=invitation.pk).state == "revoked"
    used = services.send_invitation(employee=cast.alumnus, by=cast.hr.user)
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())  # accepted a moment earlier
    assert services.invitation_revoke(invitation=used) == 0
    assert Invitation.objects.get(pk=used.pk).state == "used"


def test_a_rehire_title_longer_than_the_column_is_a_form_error(cast, client_for):
    """PostgreSQL refused the 151st character with a 500 (the fuzz tests found it); the form says so instead."""
    url = reverse("alumni:rehire", args=[cast.alumnus.alumni_profile.pk])
    data = {"rehired_on": TODAY.isoformat(), "manager": cast.manager.employee_number, "job_title": "x" * 151}
    response = client_for("hr").post(url, data)
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 151)." in response.content.decode()
    cast.alumnus.refresh_from_db()
    assert cast.alumnus.departure_date is not None
