"""Issue 21, item 3: joiners and leavers by date, with the clock moved. A person hired for a later date "Starts
on <date>" everywhere and may only read their welcome page and first tour; a scheduled rehire changes title,
manager and access on its date; a departure closes open sign-in links; an invitation is for people who left."""

import datetime
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from alliance.models import Employee, SignInLink
from alumni import departures as alumni_departures
from alumni import services as alumni_services
from alumni.models import Invitation
from tests.factories import make_tour
from tests.test_departures import offboard, on_day
from tours import access as tour_access
from tours.models import Tour

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
START = TODAY + datetime.timedelta(days=14)
PASSWORD = "plum-harbour-quietly-27"


def link_path(message, kind="accounts/activate"):
    return re.search(rf"http://[^/\s]+(/{kind}/\S+/)", message.body).group(1)


@pytest.fixture
def add(client_for, django_capture_on_commit_callbacks):
    """HR adds a person through the form; the sign-in email is sent (after the commit)."""

    def add_person(**data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("hr").post(reverse("people:create"), data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        return Employee.objects.get(employee_number=data["employee_number"])

    return add_person


@pytest.fixture
def starter(cast, add):
    """Nina, added by HR today with a start date two weeks ahead, reporting to the manager."""
    data = {
        "first_name": "Nina",
        "last_name": "Berg",
        "email": "nina@example.com",
        "employee_number": "N-1",
        "job_title": "Analyst",
        "manager_ref": cast.manager.employee_number,
        "hire_date": START.isoformat(),
    }
    return add(**data)


def activate(message):
    client = Client()
    path = link_path(message)
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    return client, response


def test_a_future_hire_starts_on_a_date_everywhere_not_active(cast, client_for, starter):
    assert starter.get_status_display() == f"Starts on {START:%d %b %Y}"
    assert not starter.is_active_on() and starter not in Employee.objects.active()
    assert starter not in Employee.objects.departed() and starter in Employee.objects.starting()
    hr = client_for("hr")
    assert f"Starts on {START:%d %b %Y}" in hr.get(starter.get_absolute_url()).text
    listed = hr.get(reverse("people:list"), {"status": ""}).text
    assert f"Starts on {START:%d %b %Y}" in listed
    assert "Nina" not in hr.get(reverse("people:list")).text  # the default list: active today
    assert "Nina" in hr.get(reverse("people:list"), {"status": "starting"}).text
    # Not yet counted as the manager's report.
    assert starter not in Employee.objects.direct_reports_of(cast.manager)


def test_a_future_hire_activates_and_reads_the_welcome_page_and_first_tour_nothing_else(
    cast, client_for, starter, monkeypatch
):
    tour = make_tour(starter, state="draft", start=START)
    [message] = [m for m in mail.outbox if "nina@example.com" in m.to]
    nina, response = activate(message)
    assert response.status_code == 302
    welcome = nina.get(reverse("dashboard")).text
    assert f"You start on <strong>{START:%-d %B %Y}</strong>" in welcome and tour.title in welcome
    assert nina.get(tour.get_absolute_url()).status_code == 200
    assert nina.get(reverse("tours:edit", args=[tour.pk])).status_code == 403
    assert nina.post(reverse("tours:comment", args=[tour.pk]), {"body": "Hello"}).status_code == 403
    for name in ("networks:index", "alumni:directory", "people:list"):
        assert nina.get(reverse(name)).status_code == 403, name
    assert nina.get(starter.get_absolute_url()).status_code == 404
    # On the first day everything an employee has opens.
    on_day(monkeypatch, START)
    assert nina.get(reverse("tours:edit", args=[tour.pk])).status_code == 200
    assert nina.get(reverse("networks:index")).status_code == 200
    assert starter in Employee.objects.direct_reports_of(cast.manager)


def test_a_scheduled_rehire_changes_title_manager_and_access_on_its_date(cast, client_for, monkeypatch):
    alma = cast.alumnus
    alma.job_title = "Engineer"
    alma.save()
    back = TODAY + datetime.timedelta(days=10)
    alumni_services.rehire(
        profile=alma.alumni_profile, by=cast.hr.user, rehired_on=back, manager=cast.report, job_title="Lead"
    )
    alma.refresh_from_db()
    assert alma.get_status_display() == f"Rejoins on {back:%d %b %Y} as Lead"
    assert (alma.job_title, alma.manager) == ("Engineer", cast.manager)  # nothing changes before the day
    assert f"Rejoins on {back:%d %b %Y} as Lead" in client_for("hr").get(alma.get_absolute_url()).text
    on_day(monkeypatch, back)
    assert alma.is_active_on()
    assert alumni_services.rehires_apply() == 1
    alma.refresh_from_db()
    assert (alma.job_title, alma.manager, alma.get_status_display()) == ("Lead", cast.report, "Active")


def test_a_departure_closes_open_sign_in_links_on_its_date(cast, add, monkeypatch):
    lev = add(first_name="Lev", last_name="Ode", email="lev@example.com", employee_number="L-1", hire_date=TODAY)
    [message] = [m for m in mail.outbox if "lev@example.com" in m.to]
    leaves = TODAY + datetime.timedelta(days=5)
    offboard(lev, cast.hr, leaves)
    link = SignInLink.objects.get(employee=lev)
    assert link.state == "open"  # still employed until the date
    on_day(monkeypatch, leaves)
    link.refresh_from_db()
    assert SignInLink.objects.get(employee=lev).state == "revoked"  # on the date, before the daily step
    alumni_departures.departures_apply()
    assert SignInLink.objects.get(employee=lev).revoked_at is not None
    client, response = activate(message)
    assert response.status_code == 410 and "no longer works" in response.text
    lev.user.refresh_from_db()
    assert not lev.user.has_usable_password()


def test_a_new_hires_link_cannot_overwrite_the_password_she_chose_as_an_alumna(cast, add):
    hired = TODAY - datetime.timedelta(days=400)
    ada = add(first_name="Ada", last_name="Ng", email="ada@example.com", employee_number="A-9", hire_date=hired)
    [sign_in] = [m for m in mail.outbox if "ada@example.com" in m.to]
    Employee.objects.filter(pk=ada.pk).update(departure_date=TODAY)  # left before ever signing in
    alumni_services.send_invitation(employee=ada, by=cast.hr.user)
    invitation = Invitation.objects.get(employee=ada)
    alumni_services.invitation_accept(link=invitation, password_hash=make_password(PASSWORD))
    assert SignInLink.objects.get(employee=ada).revoked_at is not None
    client, response = activate(sign_in)
    assert response.status_code == 410
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)


def test_after_undoing_a_departure_no_invitation_can_be_sent(cast, client_for):
    offboard(cast.report, cast.hr, TODAY)  # invited
    [invitation] = Invitation.objects.filter(employee=cast.report)
    hr = client_for("hr")
    hr.post(reverse("people:undo_departure", args=[cast.report.pk]), {"confirm": "on"})
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    profile = cast.report.alumni_profile
    page = hr.get(reverse("alumni:detail", args=[profile.pk])).text
    assert "works here, so no invitation can be sent" in page
    response = hr.post(reverse("alumni:invite", args=[profile.pk]), follow=True)
    assert "an alumni invitation is for people who have left" in response.text
    assert Invitation.objects.filter(employee=cast.report).count() == 1


# Review of issue 21: what the first round missed.


def test_a_starters_dashboard_does_not_say_her_access_has_ended(starter):
    [message] = [m for m in mail.outbox if "nina@example.com" in m.to]
    nina, _ = activate(message)
    page = nina.get(reverse("dashboard")).text
    assert "You start on" in page
    assert "Your access has ended" not in page and "ended on" not in page


def test_the_admin_refuses_a_staff_starter_until_her_first_day(client, starter, monkeypatch):
    starter.user.is_staff = True
    starter.user.save()
    client.force_login(starter.user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    on_day(monkeypatch, START)
    assert client.get("/admin/").status_code == 200


def test_a_future_hire_with_a_fixed_term_is_starting_later_by_one_rule_everywhere(cast, client_for, starter):
    ends = START + datetime.timedelta(days=180)
    Employee.objects.filter(pk=starter.pk).update(departure_date=ends)  # a fixed-term contract, recorded ahead
    starter.refresh_from_db()
    assert starter.starts_later() and not starter.has_left() and not starter.is_active_on()
    assert starter.get_status_display() == f"Starts on {START:%d %b %Y}"
    assert starter in Employee.objects.starting() and starter in Employee.objects.not_left()
    assert starter not in Employee.objects.departed() and starter not in Employee.objects.active()
    for day in (TODAY, START - datetime.timedelta(days=1)):
        assert set(Employee.objects.starting(day)) == {e for e in Employee.objects.all() if e.starts_later(day)}
        assert set(Employee.objects.not_left(day)) == {e for e in Employee.objects.all() if not e.has_left(day)}
    hr = client_for("hr")
    assert "Nina" in hr.get(reverse("people:list"), {"status": "starting"}).text
    assert "Nina" not in hr.get(reverse("people:list"), {"status": "departed"}).text
    page = hr.get(starter.get_absolute_url()).text
    assert f"Starts on {START:%d %b %Y}" in page and "has left the company" not in page


def test_hr_can_send_a_starter_her_sign_in_link_from_her_page(client_for, starter, django_capture_on_commit_callbacks):
    hr = client_for("hr")
    page = hr.get(starter.get_absolute_url()).text
    assert "has left the company" not in page
    assert reverse("people:send_link", args=[starter.pk]) in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(reverse("people:send_link", args=[starter.pk]), {"confirm": "yes"}, follow=True)
    assert "A sign-in link is on its way" in response.text
    assert [m.to for m in mail.outbox] == [["nina@example.com"]]


def welcome_back(person):
    return Tour.objects.filter(employee=person, title__startswith="Welcome back")


def test_a_scheduled_rehires_first_tour_is_made_on_the_day_with_the_new_manager(cast, client_for, monkeypatch):
    alma, old_manager, new_manager = cast.alumnus, cast.manager, cast.other
    back = TODAY + datetime.timedelta(days=10)
    hr = client_for("hr")
    form = hr.get(reverse("alumni:rehire", args=[alma.alumni_profile.pk])).text
    assert "the first tour is drafted on the day, with the new manager" in form
    response = hr.post(
        reverse("alumni:rehire", args=[alma.alumni_profile.pk]),
        {"rehired_on": back.isoformat(), "manager": new_manager.employee_number, "job_title": "Lead"},
        follow=True,
    )
    page = response.text
    assert f"rejoins on {back:%d %b %Y}" in page and f"start reporting to {new_manager.full_name}" in page
    assert "“Welcome back”, is made for the two of them to agree" in page
    # Until the day there is no tour the old manager could edit, propose or sign.
    assert not welcome_back(alma).exists()
    assert alma.user.notifications.get().message.endswith("Your first tour is drafted that day.")
    on_day(monkeypatch, back)
    assert alumni_services.rehires_apply() == 1
    assert alumni_services.rehires_apply() == 0  # idempotent: one tour
    [tour] = welcome_back(alma)
    assert (tour.state, tour.start_date, tour.created_by) == ("draft", back, cast.hr.user)
    assert tour_access.party_role(new_manager.user, tour) == "manager"
    assert tour_access.party_role(old_manager.user, tour) is None
    assert client_for("other").get(reverse("tours:edit", args=[tour.pk])).status_code == 200
    assert tour.title in client_for("other").get(reverse("tours:index")).text
    assert client_for("manager").get(reverse("tours:edit", args=[tour.pk])).status_code == 404
    assert client_for("manager").post(reverse("tours:propose", args=[tour.pk])).status_code == 404


def test_a_rehire_today_makes_the_first_tour_at_once_with_the_new_manager(cast, client_for):
    alma = cast.alumnus
    response = client_for("hr").post(
        reverse("alumni:rehire", args=[alma.alumni_profile.pk]),
        {"rehired_on": TODAY.isoformat(), "manager": cast.other.employee_number, "job_title": "Lead"},
    )
    [tour] = welcome_back(alma)
    assert response.status_code == 302 and response["Location"] == tour.get_absolute_url()
    assert tour_access.party_role(cast.other.user, tour) == "manager"


# An alumni invitation is for people who have left, and only for them.


def test_a_rehire_revokes_open_invitations(cast, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offboard(cast.report_report, cast.hr, TODAY)  # invited at once
    [invitation] = Invitation.objects.filter(employee=cast.report_report)
    token_message = [m for m in mail.outbox if cast.report_report.user.email in m.to][-1]
    alumni_services.rehire(
        profile=cast.report_report.alumni_profile,
        by=cast.hr.user,
        rehired_on=TODAY + datetime.timedelta(days=3),
        manager=cast.report,
        job_title="",
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.state == "revoked"
    client = Client()
    response = client.post(
        link_path(token_message, "alumni/invitation"), {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 410
    cast.report_report.user.refresh_from_db()
    assert not cast.report_report.user.check_password(PASSWORD)


def test_an_open_invitation_cannot_be_used_by_someone_who_is_not_departed_today(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offboard(cast.report_report, cast.hr, TODAY)
    [message] = [m for m in mail.outbox if cast.report_report.user.email in m.to]
    # The departure date cleared some other way (an import, the admin): the link must not join an employee.
    Employee.objects.filter(pk=cast.report_report.pk).update(departure_date=None)
    assert Invitation.objects.get(employee=cast.report_report).state == "revoked"
    response = Client().post(
        link_path(message, "alumni/invitation"), {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 410 and "withdrawn" in response.text
    assert cast.report_report.alumni_profile.joined_at is None


def test_a_departure_recorded_ahead_sends_its_invitation_on_the_date(cast, client_for, monkeypatch):
    leaves = TODAY + datetime.timedelta(days=30)
    hr = client_for("hr")
    data = {"departure_date": leaves.isoformat(), "reason": "resigned", "invite": "on"}
    response = hr.post(reverse("alumni:leave", args=[cast.report_report.pk]), data, follow=True)
    assert f"Their invitation to the alumni network will be sent on {leaves:%d %b %Y}" in response.text
    assert not Invitation.objects.filter(employee=cast.report_report).exists()  # still working here
    assert not [m for m in mail.outbox if cast.report_report.user.email in m.to]
    profile = cast.report_report.alumni_profile
    assert (
        f"leaves on {leaves:%-d %b %Y}: the invitation is sent that day"
        in hr.get(reverse("alumni:detail", args=[profile.pk])).text
    )
    with pytest.raises(alumni_services.AlumniError, match="works here until"):
        alumni_services.send_invitation(employee=cast.report_report, by=cast.hr.user)
    on_day(monkeypatch, leaves - datetime.timedelta(days=1))
    assert alumni_departures.departures_apply() == 0
    on_day(monkeypatch, leaves)
    assert alumni_departures.departures_apply() == 1
    [invitation] = Invitation.objects.filter(employee=cast.report_report)
    assert invitation.state == "open" and invitation.sent_by == cast.hr.user
    assert alumni_departures.departures_apply() == 0 and Invitation.objects.count() == 1


def test_hr_inviting_someone_still_working_schedules_it_for_the_departure_date(cast, client_for, monkeypatch):
    leaves = TODAY + datetime.timedelta(days=30)
    services_offboard = alumni_departures.offboard(
        employee=cast.report_report,
        by=cast.hr.user,
        departure_date=leaves,
        reason="resigned",
        exit_notes="",
        company_kept="",
        employee_kept="",
        invite=False,
    )
    profile = cast.report_report.alumni_profile
    hr = client_for("hr")
    assert (
        f"Invite on {leaves:%-d %b %Y}, the day they leave" in hr.get(reverse("alumni:detail", args=[profile.pk])).text
    )
    response = hr.post(reverse("alumni:invite", args=[profile.pk]), follow=True)
    assert f"The invitation will be sent on {leaves:%d %b %Y}, the day they leave." in response.text
    assert not Invitation.objects.filter(employee=cast.report_report).exists()
    services_offboard.refresh_from_db()
    assert services_offboard.invite
    on_day(monkeypatch, leaves)
    alumni_departures.departures_apply()
    assert Invitation.objects.get(employee=cast.report_report).state == "open"
