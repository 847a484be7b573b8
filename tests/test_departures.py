"""The people lifecycle around departures and rehires (issue 12): HR is a role of an employed person,
departures and rehires take effect on their date, a departure is undone only on purpose, one
departure per person, direct reports are employed people, HR is never its own way round "HR never
signs", and a departed non-member reaches none of their insights."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alliance.models import Employee, Notification
from alumni import departures, services
from alumni.models import AlumniProfile, Departure, Invitation
from networks.models import Contribution
from tests.test_import import apply, upload

TODAY = datetime.date.today()
TOMORROW = TODAY + datetime.timedelta(days=1)


def leave_data(**extra):
    return {
        "departure_date": TODAY.isoformat(),
        "reason": "resigned",
        "exit_notes": "",
        "rehire_eligible": "yes",
        "invite": "on",
        **extra,
    }


def offboard(employee, by, day):
    return departures.offboard(
        employee=employee,
        by=by.user,
        departure_date=day,
        reason="resigned",
        exit_notes="",
        company_kept="",
        employee_kept="",
        invite=True,
    )


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


def on_day(monkeypatch, day):
    """The clock reads `day` (every module calls timezone.localdate())."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


# 1. A departed HR person keeps HR.

HR_PAGES = ["people:list", "audit:list", "alumni:roster_csv", "networks:export", "people:import"]


def test_a_departed_hr_persons_open_session_is_refused_hr_pages(client_for, cast):
    hr = client_for("hr")
    for name in HR_PAGES:
        assert hr.get(reverse(name)).status_code == 200, name
    # The departure is today and the daily step has not run: the access check alone must refuse.
    Employee.objects.filter(pk=cast.hr.pk).update(departure_date=TODAY)
    for name in HR_PAGES:
        assert hr.get(reverse(name)).status_code == 403, name
    assert hr.post(reverse("people:import_apply"), {"content": "x"}).status_code == 403


def test_a_departed_hr_person_signing_in_afresh_is_not_hr(client, cast):
    cast.hr.user.set_password("a long password 1")
    cast.hr.user.save()
    Employee.objects.filter(pk=cast.hr.pk).update(departure_date=TODAY)
    client.post(reverse("login"), {"username": "hr@test.example", "password": "a long password 1"})
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("audit:list")).status_code == 403


def test_the_admin_refuses_a_departed_staff_member(client, cast):
    cast.hr.user.is_staff = True
    cast.hr.user.save()
    client.force_login(cast.hr.user)
    assert client.get("/admin/").status_code == 200
    Employee.objects.filter(pk=cast.hr.pk).update(departure_date=TODAY)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_daily_step_removes_staff_groups_permissions_and_sessions_on_the_date(client, cast, monkeypatch):
    user = cast.hr.user
    user.is_staff = user.is_superuser = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="hr"))
    client.force_login(user)
    offboard(cast.hr, cast.hr, TOMORROW)
    # Recorded in advance: nothing changes today, HR keeps working until the date.
    assert departures.departures_apply(today=TODAY) == 0
    user.refresh_from_db()
    assert user.is_staff and user.groups.exists() and sessions_of(user)
    assert client.get(reverse("people:list")).status_code == 200
    # On the date: the step strips everything and ends every session; a second run changes nothing.
    assert departures.departures_apply(today=TOMORROW) == 1
    user.refresh_from_db()
    assert not (user.is_staff or user.is_superuser or user.groups.exists() or user.user_permissions.exists())
    assert sessions_of(user) == []
    client.force_login(user)  # later, as a member of the alumni network: not logged out again
    assert departures.departures_apply(today=TOMORROW) == 0
    assert sessions_of(user)


def test_a_departure_recorded_for_today_takes_effect_at_once(cast, client_for):
    manager = client_for("manager")  # their manager records it; the effect is the same
    cast.report.user.is_staff = True
    cast.report.user.save()
    cast.report.user.groups.add(cast.hr.user.groups.get())
    manager.post(reverse("alumni:leave", args=[cast.report.pk]), leave_data())
    cast.report.user.refresh_from_db()
    assert not cast.report.user.is_staff and not cast.report.user.groups.exists()


def test_the_command_applies_the_days_departures(cast):
    from django.core.management import call_command

    Employee.objects.filter(pk=cast.hr.pk).update(departure_date=TODAY)
    Departure.objects.create(employee=cast.hr, departure_date=TODAY, reason="other", recorded_by=cast.hr.user)
    call_command("apply_lifecycle_dates")
    assert not cast.hr.user.groups.exists()


# 2. Undoing a departure is an explicit action.


def person_form_data(employee, **changes):
    return {
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "email": employee.user.email,
        "employee_number": employee.employee_number,
        "hire_date": employee.hire_date.isoformat(),
        "manager_ref": employee.manager.employee_number if employee.manager else "",
        **changes,
    }


def test_editing_a_departed_person_keeps_their_departure(client_for, cast):
    response = client_for("hr").post(
        reverse("people:edit", args=[cast.alumnus.pk]), person_form_data(cast.alumnus, job_title="Ex")
    )
    assert response.status_code == 302
    departed_on = cast.alumnus.departure_date
    cast.alumnus.refresh_from_db()
    assert cast.alumnus.departure_date == departed_on and cast.alumnus.job_title == "Ex"


def test_hr_undoes_a_departure_on_purpose(client_for, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        departure = offboard(cast.report_report, cast.hr, TOMORROW)
    url = reverse("people:undo_departure", args=[cast.report_report.pk])
    assert client_for("hr").get(url).status_code == 405
    assert client_for("report").post(url, {"confirm": "on"}).status_code == 403  # their manager sees, may not
    assert client_for("other").post(url, {"confirm": "on"}).status_code == 404
    assert client_for("report_report").post(url, {"confirm": "on"}).status_code == 403
    hr = client_for("hr")
    unconfirmed = hr.post(url, follow=True)
    assert "Tick the box to confirm" in unconfirmed.text
    assert Departure.objects.filter(pk=departure.pk).exists()
    response = hr.post(url, {"confirm": "on"})
    assert response.status_code == 302
    cast.report_report.refresh_from_db()
    assert cast.report_report.departure_date is None
    assert not Departure.objects.filter(pk=departure.pk).exists()
    assert all(i.state == "revoked" for i in Invitation.objects.filter(employee=cast.report_report))
    # Nothing left to undo: a clear message, not a 500.
    again = hr.post(url, {"confirm": "on"}, follow=True)
    assert "has no departure to undo" in again.text


# 3. A rehire with a future start date.


def test_a_future_rehire_takes_effect_on_its_date_and_tells_the_person(
    client_for, cast, monkeypatch, django_capture_on_commit_callbacks
):
    start = TODAY + datetime.timedelta(days=7)
    url = reverse("alumni:rehire", args=[cast.alumnus.alumni_profile.pk])
    data = {"rehired_on": start.isoformat(), "manager": cast.manager.employee_number, "job_title": "Lead"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("hr").post(url, data).status_code == 302
    cast.alumnus.refresh_from_db()
    assert not cast.alumnus.is_active_on(TODAY) and cast.alumnus.is_active_on(start)
    alumnus = client_for("alumnus")
    assert alumnus.get(reverse("tours:index")).status_code == 403  # not before the date
    note = Notification.objects.get(user=cast.alumnus.user)
    assert start.strftime("%d %b %Y") in note.message
    assert mail.outbox[-1].to == [cast.alumnus.user.email]
    on_day(monkeypatch, start)
    assert alumnus.get(reverse("tours:index")).status_code == 200  # on the date, without the step
    assert services.rehires_apply(today=start) == 1
    cast.alumnus.refresh_from_db()
    assert cast.alumnus.departure_date is None and cast.alumnus.returns_on is None
    assert services.rehires_apply(today=start) == 0


# 4. One departure per person.


def test_recording_a_future_departure_twice_answers_with_a_form_error(client_for, cast):
    hr = client_for("hr")
    url = reverse("alumni:leave", args=[cast.report_report.pk])
    assert hr.post(url, leave_data(departure_date=TOMORROW.isoformat())).status_code == 302
    response = hr.post(url, leave_data(departure_date=TOMORROW.isoformat()))
    assert response.status_code == 200
    assert f"already has a departure recorded on {TOMORROW:%d %b %Y}" in response.text
    assert Departure.objects.filter(employee=cast.report_report).count() == 1
    # One invitation, asked for once: it is sent on the departure date (nobody still working is invited).
    assert Departure.objects.get(employee=cast.report_report).invite
    assert not Invitation.objects.filter(employee=cast.report_report).exists()


def test_the_service_rereads_the_locked_row_so_a_concurrent_second_departure_is_refused(cast):
    # The second request loaded the person before the first one saved: its copy has no departure yet.
    stale = Employee.objects.get(pk=cast.report_report.pk)
    offboard(cast.report_report, cast.hr, TOMORROW)
    with pytest.raises(services.AlumniError, match="already has a departure recorded on"):
        offboard(stale, cast.hr, TOMORROW)
    assert Departure.objects.filter(employee=cast.report_report).count() == 1


def test_the_database_holds_one_open_departure_per_person(cast):
    Departure.objects.create(employee=cast.report, departure_date=TOMORROW, reason="other", recorded_by=cast.hr.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Departure.objects.create(
            employee=cast.report, departure_date=TOMORROW, reason="other", recorded_by=cast.hr.user
        )


# 5. Direct reports are employed people.


def test_departed_and_erased_reports_are_not_direct_reports(client_for, cast):
    from portal import privacy

    privacy.erase(cast.alumnus)  # "Former employee #N", departed, reporting to the manager
    hr = client_for("hr")
    page = hr.get(reverse("people:detail", args=[cast.manager.pk]))
    assert page.context["report_count"] == 1 and list(page.context["reports"]) == [cast.report]
    assert "Former employee" not in page.text and "Direct reports (1)" in page.text
    listed = hr.get(reverse("people:list"), {"q": "Nagy"}).context["page"].object_list
    assert [p.report_count for p in listed] == [1]
    assert [p.pk for p in client_for("manager").get(reverse("dashboard")).context["reports"]] == [cast.report.pk]


# 6. HR never makes itself a manager.


def test_hr_cannot_make_itself_someones_manager(client_for, cast):
    hr = client_for("hr")
    response = hr.post(
        reverse("people:edit", args=[cast.report.pk]),
        person_form_data(cast.report, manager_ref=cast.hr.employee_number),
    )
    assert response.status_code == 200
    assert "You cannot make yourself someone's manager" in " ".join(response.context["form"].errors["manager_ref"])
    cast.report.refresh_from_db()
    assert cast.report.manager == cast.manager


def test_hr_cannot_make_itself_a_manager_by_import(client_for, cast):
    content = (
        "employee_number,first_name,last_name,email,hire_date,manager\n"
        f"{cast.report.employee_number},Rita,Ortiz,report@test.example,2020-01-06,{cast.hr.user.email}\n"
    )
    response = upload(client_for("hr"), content)
    assert response.status_code == 200
    assert "You cannot make yourself someone's manager" in " ".join(response.context["plan"].rows[0].problems)
    cast.report.refresh_from_db()
    assert cast.report.manager == cast.manager


def test_hr_cannot_make_itself_a_boomerangs_manager(client_for, cast):
    url = reverse("alumni:rehire", args=[cast.alumnus.alumni_profile.pk])
    data = {"rehired_on": TOMORROW.isoformat(), "manager": cast.hr.user.email, "job_title": "Lead"}
    response = client_for("hr").post(url, data)
    assert response.status_code == 200
    assert "You cannot make yourself someone's manager" in " ".join(response.context["form"].errors["manager"])


# 7. A departed non-member reaches none of their insights.


@pytest.mark.parametrize("name", ["detail", "edit", "delete"])
def test_a_departed_non_member_reaches_none_of_their_insights(client_for, cast, name):
    insight = Contribution.objects.create(contributor=cast.alumnus, kind="market", title="t", insight="i")
    url = reverse(f"networks:{name}", args=[insight.pk])
    assert client_for("alumnus").get(url).status_code == 200  # a member of the alumni network: their own
    AlumniProfile.objects.filter(employee=cast.alumnus).update(joined_at=None)
    assert client_for("alumnus").get(url).status_code == 404
    assert client_for("alumnus").post(url).status_code == 404
    assert Contribution.objects.filter(pk=insight.pk).exists()


def test_active_and_departed_split_everyone_around_a_future_rehire(cast):
    Employee.objects.filter(pk=cast.alumnus.pk).update(returns_on=TOMORROW)
    assert cast.alumnus not in Employee.objects.active() and cast.alumnus in Employee.objects.departed()
    assert cast.alumnus in Employee.objects.active(on=TOMORROW)
    assert cast.alumnus not in Employee.objects.departed(on=TOMORROW)
    assert Employee.objects.active().count() + Employee.objects.departed().count() == Employee.objects.count()


def test_a_boomerang_back_today_leaves_the_alumni_lists_before_the_daily_step(cast, client_for):
    """The rehire started today; apply_lifecycle_dates has not cleared the old departure date yet."""
    AlumniProfile.objects.filter(employee=cast.alumnus).update(listed=True)
    assert cast.alumnus.alumni_profile in AlumniProfile.objects.departed()
    Employee.objects.filter(pk=cast.alumnus.pk).update(returns_on=TODAY)
    assert cast.alumnus.alumni_profile not in AlumniProfile.objects.departed()
    assert cast.alumnus.alumni_profile not in AlumniProfile.objects.in_directory()
    roster = client_for("hr").get(reverse("alumni:roster"))
    assert cast.alumnus.full_name not in roster.text


def test_an_import_neither_clears_nor_changes_a_recorded_departure(client_for, cast):
    a = cast.alumnus
    header = "employee_number,first_name,last_name,email,hire_date,departure_date\n"
    row = f"{a.employee_number},{a.first_name},{a.last_name},{a.user.email},{a.hire_date.isoformat()},"
    hr = client_for("hr")
    for departure in ("", TODAY.isoformat()):
        response = upload(hr, header + row + departure + "\n")
        assert response.status_code == 200
        assert "record or undo a departure" in " ".join(response.context["plan"].rows[0].problems)
    unchanged = apply(hr, header + row + a.departure_date.isoformat())
    assert unchanged.status_code == 302
    a.refresh_from_db()
    assert a.departure_date == TODAY - datetime.timedelta(days=30)
