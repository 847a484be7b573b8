"""send_reminders: the right people hear about check-ins, next-tour conversations and endings, once."""

import datetime

from django.core import mail
from django.core.management import call_command

from alliance.models import Notification, User
from tests.factories import make_tour
from tours.reminders import send_tour_reminders

TODAY = datetime.date.today()


def test_checkin_due_then_overdue_each_sent_once(cast, django_capture_on_commit_callbacks):
    start = TODAY - datetime.timedelta(days=95)  # first check-in (start + 3 months) a few days ago
    tour = make_tour(cast.report, state="agreed", start=start)
    due = tour.checkin_dates(until=TODAY)[-1]
    # Both asked for every email at once; with the default (weekly) the reminder waits for the digest.
    User.objects.filter(pk__in=[cast.report.user.pk, cast.manager.user.pk]).update(mail=User.Mail.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_tour_reminders(TODAY) == 2  # employee and manager
        assert send_tour_reminders(TODAY) == 0  # cron again: nothing new
    assert {m.to[0] for m in mail.outbox} == {cast.report.user.email, cast.manager.user.email}
    assert "is due" in mail.outbox[0].subject
    # Two weeks later it is overdue: one more reminder each, once.
    later = due + datetime.timedelta(days=15)
    assert send_tour_reminders(later) == 2
    assert send_tour_reminders(later) == 0
    assert Notification.objects.filter(message__contains="is overdue").count() == 2


def test_only_the_side_that_has_not_checked_in_is_reminded(cast):
    from tours import services

    tour = make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=95))
    due = tour.checkin_dates(until=TODAY)[-1]
    services.tour_check_in(tour=tour, user=cast.report.user, due_on=due, other_side_keeping="yes", note="", progress=[])
    assert send_tour_reminders(TODAY) == 1
    assert Notification.objects.get(message__contains="check-in").user == cast.manager.user


def test_next_tour_conversation_and_ending_soon(cast):
    # Agreed two years ago, ending in 20 days: the conversation is due and the tour ends soon.
    start = TODAY - datetime.timedelta(days=2 * 365)
    make_tour(cast.report, state="agreed", start=start, end=TODAY + datetime.timedelta(days=20))
    send_tour_reminders(TODAY)
    messages = list(Notification.objects.values_list("message", flat=True))
    assert sum("next-tour conversation" in m for m in messages) == 2
    assert sum("no next tour is agreed" in m for m in messages) == 2
    assert send_tour_reminders(TODAY) == 0


def test_an_agreed_successor_silences_ending_soon(cast):
    end = TODAY + datetime.timedelta(days=20)
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=700), end=end)
    from tours.models import Tour

    first = Tour.objects.get()
    successor = make_tour(cast.report, state="agreed", start=end + datetime.timedelta(days=1))
    Tour.objects.filter(pk=successor.pk).update(predecessor=first)
    send_tour_reminders(TODAY)
    assert not Notification.objects.filter(message__contains="no next tour").exists()
    assert not Notification.objects.filter(message__contains="next-tour conversation").exists()


def test_the_command_reports_what_it_sent(cast, capsys):
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=95))
    call_command("send_reminders")
    assert "2 tour reminders sent." in capsys.readouterr().out
    call_command("send_reminders")
    assert "0 tour reminders sent." in capsys.readouterr().out
