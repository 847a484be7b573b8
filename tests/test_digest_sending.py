"""One digest instead of a flood (issue 23, item 3): send_digests through the real worker (one per person and
period, whoever runs it), and what building and sending digests costs in queries as the company grows."""

import datetime

import pytest
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
from tests.factories import EmployeeFactory
from tests.test_digest import TODAY, _site, overdue_tour, prefer
from tests.test_mail import DATABASE_TASKS, run_worker
from tours import services
from tours.digest import digests_for
from tours.digest_mail import send_digests
from tours.models import Tour
from tours.reminders import send_tour_reminders

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
