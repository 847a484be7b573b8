"""One digest instead of a flood (issue 23, item 3): a mail preference per person, notifications routed by it, the
other side told of a check-in, one digest per person and period through the real worker, and the notification
centre showing the same items as the digest."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance import notifications, tree
from alliance.background import DigestSent, OutgoingEmail
from alliance.models import Employee, Notification, User
from tests.factories import EmployeeFactory, make_tour
from tests.test_mail import DATABASE_TASKS, run_worker
from tours import services
from tours.digest import digest_for, digests_for
from tours.digest_mail import send_digests
from tours.models import Tour
from tours.reminders import send_tour_reminders

TODAY = timezone.localdate()


def overdue_tour(employee, title="Grow the platform team"):
    """Agreed 110 days ago, quarterly: the first check-in fell due about 20 days ago and nobody checked in."""
    with notifications.muted():  # the proposal and signatures of the set-up tell no one
        return make_tour(employee, state="agreed", start=TODAY - datetime.timedelta(days=110), title=title)


def prefer(person, choice):
    person.user.mail = choice
    person.user.save(update_fields=["mail"])


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


# Sending, through the real worker -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_manager_of_12_with_12_overdue_check_ins_gets_one_digest_and_a_rerun_sends_nothing():
    manager = EmployeeFactory(first_name="Mia", last_name="Lead", user__email="mia@test.example")
    people = [EmployeeFactory(manager=manager, first_name=f"P{n}", last_name="Person") for n in range(12)]
    tours = [overdue_tour(person, title=f"Tour {n:02d}") for n, person in enumerate(people)]
    prefer(people[0], User.Mail.OFF)
    send_tour_reminders(TODAY)  # 24 reminders: none mailed (weekly and off)
    assert call_command("send_digests") is None
    run_worker()

    to_mia = [m for m in mail.outbox if m.to == ["mia@test.example"]]
    assert len(to_mia) == 1
    digest = to_mia[0]
    assert digest.subject == "Your Alliance weekly digest: 12 items"
    for tour in tours:  # every item links, with an absolute address, to its page
        assert f"{_site()}{tour.get_absolute_url()}\n" in digest.body
    [(html, kind)] = digest.alternatives
    assert kind == "text/html" and f'href="{_site()}{tours[0].get_absolute_url()}"' in html
    # Each employee gets their own, except the one who chose "off": 1 + 11 emails in all.
    assert len(mail.outbox) == 12
    assert people[0].user.email not in {m.to[0] for m in mail.outbox}
    assert DigestSent.objects.count() == 12
    assert not OutgoingEmail.objects.filter(sent_at=None).exists()

    mail.outbox.clear()
    call_command("send_digests")
    run_worker()
    assert mail.outbox == []


def _site():
    return settings.SITE_URL.rstrip("/")


def test_daily_gets_one_a_day_and_weekly_one_a_week(cast):
    overdue_tour(cast.report)
    prefer(cast.manager, User.Mail.DAILY)
    prefer(cast.report, User.Mail.OFF)
    prefer(cast.hr, User.Mail.OFF)
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    sent = {}
    for offset in range(8):  # a week and a day, twice a day
        day = monday + datetime.timedelta(days=offset)
        sent[day] = send_digests(day) + send_digests(day)
    counts = DigestSent.objects.values_list("user__email", "period")
    assert sorted(p for e, p in counts if e == "manager@test.example") == [
        f"day:{monday + datetime.timedelta(days=n)}" for n in range(8)
    ]
    assert list(sent.values()) == [1] * 8  # the manager's daily; the report chose off; nobody else has items
    # Weekly: the employee (their own check-in overdue) gets one a week.
    prefer(cast.report, User.Mail.WEEKLY)
    assert send_digests(monday) == 1 and send_digests(monday + datetime.timedelta(days=3)) == 0
    assert send_digests(monday + datetime.timedelta(days=7)) == 1


def test_an_empty_digest_is_not_sent(cast):
    assert send_digests(TODAY) == 0
    assert not DigestSent.objects.exists()


def test_a_digest_another_run_already_claimed_is_not_sent_again(cast, monkeypatch):
    """Two runs at once: the second run's claim loses to the row the first wrote (unique per person and period)."""
    overdue_tour(cast.report)
    prefer(cast.manager, User.Mail.OFF)
    prefer(cast.hr, User.Mail.OFF)
    from tours import digest_mail

    real = digest_mail.digests_for

    def the_other_run_claims_meanwhile(users, **kwargs):
        found = real(users, **kwargs)
        DigestSent.objects.create(user=cast.report.user, period=digest_mail.period_of("weekly", TODAY), claim="other")
        return found

    monkeypatch.setattr(digest_mail, "digests_for", the_other_run_claims_meanwhile)
    assert send_digests(TODAY) == 0
    assert not OutgoingEmail.objects.exists()


def test_the_news_since_the_last_digest_leaves_out_reminders_what_was_read_and_what_was_mailed(cast):
    tour = overdue_tour(cast.report)
    send_tour_reminders(TODAY)  # a reminder: an item already, not news
    services.tour_check_in(
        tour=tour, user=cast.report.user, due_on=tour.checkin_due_on, other_side_keeping="yes", note="", progress=[]
    )
    notifications.notify(user=cast.manager.user, message="Already read.", url="/")
    Notification.objects.filter(message="Already read.").update(read_at=timezone.now())
    notifications.notify(user=cast.manager.user, message="Sign this now.", url="/", email_subject="Sign", now=True)
    OutgoingEmail.objects.all().delete()
    prefer(cast.report, User.Mail.OFF)
    prefer(cast.hr, User.Mail.OFF)
    assert send_digests(TODAY) == 1
    body = OutgoingEmail.objects.get().body
    assert "Rita Ortiz checked in on “Grow the platform team”" in body
    # Not repeated: a reminder (its facts are items), what was read, what was emailed at once.
    assert "is overdue." not in body and "Already read." not in body and "Sign this now." not in body


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


# Query counts ---------------------------------------------------------------------------------------------------


def _company(size, *, manager=None):
    """`size` people under one manager (written in bulk, as seed_demo does), each with an agreed tour whose
    check-in is overdue and whose next-tour conversation is due, and a proposed tour for every third."""
    manager = manager or EmployeeFactory(first_name="Big", last_name="Team")
    first = Employee.objects.count()
    users = User.objects.bulk_create([User(email=f"bulk{first + n}@test.example") for n in range(size)])
    people = Employee.objects.bulk_create(
        Employee(user=u, first_name="Bulk", last_name=f"Person {first + n}", employee_number=f"B{first + n:05d}",
                 hire_date=datetime.date(2020, 1, 6), manager=manager)
        for n, u in enumerate(users)
    )  # fmt: skip
    tree.rebuild()
    start, end = TODAY - datetime.timedelta(days=800), TODAY + datetime.timedelta(days=50)
    Tour.objects.bulk_create(
        Tour(employee=e, type="transformational", state=state, title=f"Tour {e.pk} {state}", start_date=start,
             end_date=end, checkin_due_on=TODAY - datetime.timedelta(days=20) if state == "agreed" else None,
             next_tour_on=TODAY - datetime.timedelta(days=5), created_by=manager.user)
        for n, e in enumerate(people)
        for state in (["agreed", "proposed"] if n % 3 == 0 else ["agreed"])
    )  # fmt: skip
    return manager


def _cost(users):
    since = {u.pk: timezone.now() - datetime.timedelta(days=7) for u in users}
    with CaptureQueriesContext(connection) as captured:
        digests = digests_for(users, since=since)
    return len(captured), digests


def test_building_hr_and_manager_digests_costs_the_same_queries_for_5_and_300_people(cast):
    small = _company(5)
    few, _ = _cost([cast.hr.user, small.user])
    big = _company(300)
    many, digests = _cost([cast.hr.user, small.user, big.user, *User.objects.filter(employee__manager=big)])
    # The people; the tours (with their signatures and successors) and their check-ins; HR's ids; the company's
    # four counts in one aggregate and the first five of each kind (4); the news: 10 for 2 people and for 308.
    assert few == many == 10
    by_user = {d.user.pk: d for d in digests}
    company = {s.title: s.total for s in by_user[cast.hr.user.pk].groups[0].sections}
    assert company["Check-ins overdue"] == 305
    assert company["Proposals awaiting signatures"] == 2 + 100
    assert by_user[big.user.pk].groups[0].sections[0].total == 100  # to sign: a proposal for every third


def test_the_notification_centre_costs_the_same_for_5_and_300_people(cast, client_for):
    client = client_for("hr")
    _company(5, manager=cast.hr)
    client.get(reverse("notifications"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notifications")).status_code == 200
    _company(300, manager=cast.hr)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications"))
    assert "Check-ins overdue: 305" in page.text and "and 300 more" in page.text
    # The session and its user (the roles come with it), the digest (the tours and their check-ins, the company's
    # counts and the first five of each of its four kinds: 7; HR also manages these people here), the page of
    # notifications and its count: 10 for 5 people and for 305.
    assert len(few) == len(many) <= 10


def test_sending_digests_to_everyone_batches(cast, monkeypatch):
    from tours import digest_mail

    monkeypatch.setattr(digest_mail, "CHUNK", 100)
    manager = _company(99)
    with CaptureQueriesContext(connection) as one_chunk:
        assert send_digests(TODAY) == 101  # 99 people, their manager, HR (Rita's and Mo's have nothing)
    _company(200, manager=manager)
    DigestSent.objects.all().delete()
    with CaptureQueriesContext(connection) as three_chunks:
        assert send_digests(TODAY) == 301
    assert len(three_chunks) <= 3 * len(one_chunk) < 100


def test_user_text_is_escaped_in_the_digest_html_and_the_centre(cast, client_for):
    overdue_tour(cast.report, title='<script>alert("x")</script> & co')
    prefer(cast.hr, User.Mail.OFF)
    prefer(cast.report, User.Mail.OFF)
    assert send_digests(TODAY) == 1
    email = OutgoingEmail.objects.get()
    assert "<script>" not in email.html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in email.html
    assert '“<script>alert("x")</script> & co”' in email.body  # plain text: as written
    page = client_for("manager").get(reverse("notifications")).text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
