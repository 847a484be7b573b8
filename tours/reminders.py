"""Time-based reminders. Each is recorded in SentReminder under a unique key before it is sent, so
running this as often as cron likes never sends the same reminder twice (even two runs at once).

Each is a notification; its email goes at once only to people who asked for every email (User.mail "immediate").
Everyone else finds the same facts in their digest (tours.digest): a manager of 12 with 12 overdue check-ins gets
one email listing them, not 12."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.events import emit
from alliance.notifications import notify
from tours.models import SentReminder, Signature, Tour
from tours.schedule import checkin_is_overdue

ENDING_SOON_DAYS = 30


def _party_users(tour, sides=Signature.Role.values):
    users = []
    if Signature.Role.EMPLOYEE in sides:
        users.append(tour.employee.user)
    if Signature.Role.MANAGER in sides and tour.employee.manager_id:
        users.append(tour.employee.manager.user)
    return users


def due_reminders(tour, today, has_successor, successor_agreed):
    """(kind, key, message, users) for everything this tour should remind its parties of today."""
    reminders = []
    due = tour.checkin_due_on  # the earliest date not answered by both sides, as on every report
    if due is not None and due <= today:
        answered = {c.side for c in tour.checkins.all() if c.due_on == due}
        missing = [side for side in Signature.Role.values if side not in answered]
        kind = "checkin_overdue" if checkin_is_overdue(due, today) else "checkin_due"
        word = "is overdue" if kind == "checkin_overdue" else "is due"
        message = f"The check-in of {due:%d %b %Y} on “{tour.title}” {word}."
        reminders.append((kind, due.isoformat(), message, _party_users(tour, missing)))
    conversation = tour.next_tour_conversation()
    if conversation and conversation <= today <= tour.end_date and not has_successor:
        message = f"Time for the next-tour conversation: “{tour.title}” ends on {tour.end_date:%d %b %Y}."
        reminders.append(("next_tour", conversation.isoformat(), message, _party_users(tour)))
    soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    if tour.end_date and today <= tour.end_date <= soon and not successor_agreed:
        message = f"“{tour.title}” ends on {tour.end_date:%d %b %Y} and no next tour is agreed."
        reminders.append(("ending_soon", tour.end_date.isoformat(), message, _party_users(tour)))
    return reminders


def send_tour_reminders(today=None):
    """Send what is due today and not sent before; returns how many notifications went out."""
    today = today or timezone.localdate()
    tours = (
        Tour.objects.filter(state=Tour.State.AGREED, start_date__lte=today)
        .select_related("employee__user", "employee__manager__user")
        .prefetch_related("checkins")
    )
    with_successor = dict(Tour.objects.filter(predecessor__isnull=False).values_list("predecessor_id", "state"))
    sent = 0
    for tour in tours.iterator(chunk_size=500):
        successor_state = with_successor.get(tour.pk)
        for kind, key, message, users in due_reminders(
            tour, today, successor_state is not None, successor_state in (Tour.State.AGREED, Tour.State.COMPLETED)
        ):
            try:
                with transaction.atomic():
                    SentReminder.objects.create(tour=tour, kind=kind, key=key)
                    if kind == "checkin_overdue":  # once per due date, as the reminder (SentReminder's key)
                        emit("checkin.overdue", tour, {"employee_id": tour.employee_id, "due_on": key})
                    for user in users:
                        notify(
                            user=user,
                            message=message,
                            url=tour.get_absolute_url(),
                            email_subject=message,
                            kind="reminder",
                        )
                        sent += 1
            except IntegrityError:
                continue  # already sent, by an earlier run or one running right now
    return sent
