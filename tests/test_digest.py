"""One digest instead of a flood (issue 23, item 3): a mail preference per person, notifications routed by it, the
other side told of a check-in, one digest per person and period through the real worker, and the notification
centre showing the same items as the digest."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliance import notifications
from alliance.background import OutgoingEmail
from alliance.models import Notification, User
from tests.factories import EmployeeFactory, make_tour
from tours.digest import digest_for
from tours.digest_mail import send_digests
from tours.reminders import send_tour_reminders

TODAY = timezone.localdate()


def overdue_tour(employee, title="Grow the platform team"):
    """Agreed 110 days ago, quarterly: the first check-in fell due about 20 days ago and nobody checked in."""
    with notifications.muted():  # the proposal and signatures of the set-up tell no one
        return make_tour(employee, state="agreed", start=TODAY - datetime.timedelta(days=110), title=title)


def prefer(person, choice):
    person.user.mail = choice
    person.user.save(update_fields=["mail"])


def _site():
    return settings.SITE_URL.rstrip("/")


def check_in(client, tour, due):
    objectives = tour.agreed_revision.objectives.all()
    data = {"due_on": due.isoformat(), "other_side_keeping": "yes", "note": ""}
    data.update({f"objective-{o.pk}-status": "on_track" for o in objectives})
    return client.post(reverse("tours:check_in", args=[tour.pk]), data)


# The preference and the routing ---------------------------------------------------------------------------------


def test_the_default_is_weekly_and_a_reminder_waits_for_the_digest(cast, django_capture_on_commit_callbacks):
    overdue_tour(cast.report)
    assert cast.manager.user.mail == User.Mail.WEEKLY
    with django_capture_on_commit_callbacks(execute=True):
        assert send_tour_reminders(TODAY) == 2
    assert mail.outbox == []  # told in the app; the email is the digest's
    assert Notification.objects.filter(user=cast.manager.user, kind="reminder").count() == 1


def test_immediate_mails_each_reminder_and_off_mails_none(cast, django_capture_on_commit_callbacks):
    overdue_tour(cast.report)
    prefer(cast.manager, User.Mail.IMMEDIATE)
    prefer(cast.report, User.Mail.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        send_tour_reminders(TODAY)
    assert [m.to for m in mail.outbox] == [[cast.manager.user.email]]


def test_a_proposal_to_sign_is_mailed_at_once_whatever_the_preference(
    cast, client_for, django_capture_on_commit_callbacks
):
    prefer(cast.report, User.Mail.OFF)
    with notifications.muted():
        tour = make_tour(cast.report)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("manager").post(reverse("tours:propose", args=[tour.pk])).status_code == 302
    assert [m.to for m in mail.outbox] == [[cast.report.user.email]]
    assert mail.outbox[0].subject == "A tour of duty was proposed to you"


def test_when_the_employee_checks_in_the_manager_is_told(cast, client_for, django_capture_on_commit_callbacks):
    tour = overdue_tour(cast.report)
    due = tour.checkin_due_on
    prefer(cast.manager, User.Mail.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        assert check_in(client_for("report"), tour, due).status_code == 302
    notice = cast.manager.user.notifications.get()
    assert notice.message == (
        f"Rita Ortiz checked in on “Grow the platform team” (due {due:%d %b %Y}). Yours for that date is still to do."
    )
    assert notice.url == tour.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[cast.manager.user.email]]
    assert not cast.report.user.notifications.exists()  # the one who checked in is not told of it
    # The manager checks in too: the employee is told, without "still to do"; weekly, so no email now.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert check_in(client_for("manager"), tour, due).status_code == 302
    assert cast.report.user.notifications.get().message.endswith(f"(due {due:%d %b %Y}).")
    assert mail.outbox == []


# The account page -----------------------------------------------------------------------------------------------


def test_the_account_page_is_for_the_signed_in_person_only(cast, client_for):
    response = client_for("anonymous").get(reverse("account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client_for("anonymous").post(reverse("account_mail"), {"mail": "off"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert User.objects.filter(mail=User.Mail.OFF).count() == 0
    response = client_for("report").get(reverse("account"))
    assert response.status_code == 200
    assert "Weekly digest" in response.text and "report@test.example" in response.text
    assert client_for("report").get(reverse("account_mail")).status_code == 405


def test_a_person_sets_their_preference_and_only_theirs(cast, client_for):
    client = client_for("manager")
    response = client.post(reverse("account_mail"), {"mail": "daily"})
    assert response.status_code == 302
    cast.manager.user.refresh_from_db()
    assert cast.manager.user.mail == User.Mail.DAILY
    assert User.objects.exclude(pk=cast.manager.user.pk).filter(mail=User.Mail.DAILY).count() == 0
    assert "Saved. Email: daily digest" in client.get(reverse("account")).text


@pytest.mark.parametrize("value", ["", "hourly", "x" * 5000, "weekly\x00"])
def test_a_bad_choice_is_a_form_error(cast, client_for, value):
    response = client_for("manager").post(reverse("account_mail"), {"mail": value})
    assert response.status_code == 200
    assert response.context["mail_form"].errors["mail"]
    cast.manager.user.refresh_from_db()
    assert cast.manager.user.mail == User.Mail.WEEKLY


# What the digest holds ------------------------------------------------------------------------------------------


def test_a_manager_digest_holds_their_people_items_and_links_each_to_its_page(cast):
    overdue = overdue_tour(cast.report, title="Lead the data platform")
    with notifications.muted():
        proposed = make_tour(cast.report_report, state="proposed", title="Learn sales")  # report manages Ravi
        ending = make_tour(
            EmployeeFactory(manager=cast.manager, first_name="Eli", last_name="End"),
            state="agreed", start=TODAY - datetime.timedelta(days=700), end=TODAY + datetime.timedelta(days=40),
            title="Close out the migration",
        )  # fmt: skip
    digest = digest_for(cast.manager.user)
    [people] = digest.groups
    assert people.title == "Your people"
    texts = {section.title: [(i.text, i.url) for i in section.items] for section in people.sections}
    assert texts["Check-ins overdue"] == [  # soonest ending first
        (f"“Close out the migration” (Eli End): check-in overdue since {ending.checkin_due_on:%d %b %Y}",
         ending.get_absolute_url()),
        (f"“Lead the data platform” (Rita Ortiz): check-in overdue since {overdue.checkin_due_on:%d %b %Y}",
         overdue.get_absolute_url()),
    ]  # fmt: skip
    assert texts["Next-tour conversations due"][0][1] == ending.get_absolute_url()
    assert texts["Ending within 60 days"][0][0].startswith("“Close out the migration” (Eli End): ends on")
    # Ravi's proposal waits on Rita (his manager), not on Mo two levels up.
    assert "To sign" not in texts
    rita = digest_for(cast.report.user)
    assert [g.title for g in rita.groups] == ["Your tour", "Your people"]
    assert [i.url for i in rita.groups[1].sections[0].items] == [proposed.get_absolute_url()]


def test_an_employee_digest_holds_only_their_own(cast):
    overdue_tour(cast.report)
    overdue_tour(cast.report_report, title="Sell more")
    [own] = digest_for(cast.report_report.user).groups
    assert own.title == "Your tour"
    assert [i.text for s in own.sections for i in s.items] == [
        f"“Sell more”: check-in overdue since {cast.report_report.tours.get().checkin_due_on:%d %b %Y}"
    ]
    assert digest_for(cast.other.user).groups == []


def test_hr_digest_counts_the_company_and_lists_the_first_few(cast):
    for n in range(7):
        overdue_tour(EmployeeFactory(manager=cast.manager), title=f"Tour {n}")
    groups = {g.title: g for g in digest_for(cast.hr.user).groups}
    [overdue] = groups["The company"].sections
    assert (overdue.title, overdue.total, len(overdue.items), overdue.more) == ("Check-ins overdue", 7, 5, 2)
    assert overdue.more_url == reverse("tours:report_checkins")
    assert "The company" not in {g.title for g in digest_for(cast.manager.user).groups}


# The notification centre shows the digest's items ---------------------------------------------------------------


def test_the_notification_centre_lists_the_same_items_as_the_digest(cast, client_for):
    tours = [overdue_tour(cast.report, title="Lead the data platform")]
    with notifications.muted():
        tours.append(make_tour(EmployeeFactory(manager=cast.manager), state="proposed", title="Learn sales"))
    page = client_for("manager").get(reverse("notifications")).text
    send_digests(TODAY)
    email = OutgoingEmail.objects.get(to=[cast.manager.user.email])
    digest = digest_for(cast.manager.user)
    items = [i for g in digest.groups for s in g.sections for i in s.items]
    assert len(items) == 2
    for item in items:
        assert f'<a href="{item.url}">{item.text}</a>' in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
        assert f"{item.text}\n  {_site()}{item.url}" in email.body
    # Another person's centre does not show them.
    other = client_for("other").get(reverse("notifications")).text
    assert "Lead the data platform" not in other and "Nothing needs you now" in other
