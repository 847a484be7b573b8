"""HR is told of the things HR acts on: a referral to follow up, a departure a manager recorded."""

import datetime

from django.core import mail
from django.urls import reverse

from alliance.notifications import hr_people
from tests.alumni.test_leaving import leave_data
from tests.factories import EmployeeFactory


def test_a_new_referral_reaches_hr_in_the_app_and_by_email(cast, client_for, django_capture_on_commit_callbacks):
    # HR asked for every email at once (the default, weekly, folds it into HR's digest).
    cast.hr.user.mail = cast.hr.user.Mail.IMMEDIATE
    cast.hr.user.save(update_fields=["mail"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("alumnus").post(
            reverse("alumni:refer"),
            {"candidate_name": "Cand Idate", "contact": "cand@example.com", "role_of_interest": "", "note": ""},
        )
    notice = cast.hr.user.notifications.get()
    assert "Cand Idate" in notice.message and notice.url == reverse("alumni:referrals")
    assert [m.to for m in mail.outbox] == [[cast.hr.user.email]]
    # HR opens it and lands on the referrals list.
    assert client_for("hr").post(reverse("notification_open", args=[notice.pk]), follow=True).status_code == 200


def test_a_departure_a_manager_records_reaches_hr_but_hr_is_not_told_of_its_own(cast, client_for):
    client_for("report").post(reverse("alumni:leave", args=[cast.report_report.pk]), leave_data(invite=""))
    notice = cast.hr.user.notifications.get()
    assert "Rita Ortiz recorded Ravi Rao's departure" in notice.message
    assert notice.url == cast.report_report.get_absolute_url()

    client_for("hr").post(reverse("alumni:leave", args=[cast.other.pk]), leave_data(invite=""))
    assert cast.hr.user.notifications.count() == 1


def test_only_employed_hr_people_are_told(cast):
    former = EmployeeFactory(departure_date=datetime.date.today() - datetime.timedelta(days=1))
    former.user.groups.add(cast.hr.user.groups.first())
    assert list(hr_people()) == [cast.hr.user]
