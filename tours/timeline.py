"""Check-ins as a timeline: each due date with both sides' answers, and what is due or overdue."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from tours.models import CheckInProgress, Signature
from tours.schedule import checkin_is_overdue


@dataclass
class DueDate:
    due_on: datetime.date
    checkins: dict = field(default_factory=dict)  # side -> CheckIn
    state: str = ""  # set by checkin_timeline(): done, upcoming, due or overdue

    def missing(self):
        return [side for side in Signature.Role.values if side not in self.checkins]

    def status(self, today):
        if not self.missing():
            return "done"
        if self.due_on > today:
            return "upcoming"
        return "overdue" if checkin_is_overdue(self.due_on, today) else "due"


def due_dates(tour, today=None):
    """Due dates so far plus the next one ahead (none before the tour is agreed)."""
    today = today or timezone.localdate()
    if not tour.agreed_revision_id:
        return []
    horizon = today + datetime.timedelta(days=31 * tour.checkin_months)
    if tour.ended_on:
        horizon = tour.ended_on
    dates = tour.checkin_dates(until=horizon)
    upcoming = [d for d in dates if d > today]
    return [d for d in dates if d <= today] + upcoming[:1]


def checkin_timeline(tour, today=None, checkins=None):
    """[DueDate], oldest first. `checkins` may be passed in when already prefetched."""
    if checkins is None:
        checkins = tour.checkins.select_related("author").prefetch_related(
            Prefetch("progress", queryset=CheckInProgress.objects.select_related("objective"))
        )
    by_date = {d: DueDate(d) for d in due_dates(tour, today)}
    for checkin in checkins:
        by_date.setdefault(checkin.due_on, DueDate(checkin.due_on)).checkins[checkin.side] = checkin
    timeline = sorted(by_date.values(), key=lambda d: d.due_on)
    for due in timeline:
        due.state = due.status(today or timezone.localdate())
    return timeline


def open_due_dates(tour, side, today=None, checkins=None):
    """Dates this side may check in for now: due (or due within a month) and not yet answered."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=31)
    return [d.due_on for d in checkin_timeline(tour, today, checkins) if side in d.missing() and d.due_on <= soon]


def overdue_for(tour, today=None, checkins=None):
    today = today or timezone.localdate()
    return [d for d in checkin_timeline(tour, today, checkins) if d.state == "overdue"]
