"""What the 1:1 workspace shows: the open agenda, each objective's progress and last note, who has recorded the
meeting, the user's own private note and the agendas already closed. A fixed number of queries, whatever the
tour's history (tests/meetings/test_queries.py)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from meetings import access
from meetings.models import TalkingPoint
from meetings.services import RECORD_FROM_DAYS
from tours.access import party_role
from tours.models import CheckIn, CheckInProgress, Tour
from tours.schedule import checkin_is_overdue

EARLIER_POINTS = 30  # the covered points of closed agendas the page lists, newest meeting first


@dataclass
class ObjectiveProgress:
    objective: object
    last: object = None  # the latest CheckInProgress of this objective (any revision of it), or None


def objectives_with_progress(tour):
    """The agreed terms' objectives, each with its latest status and note from either side: one query for the
    objectives, one for the tour's progress rows (a handful per check-in), matched by the objective's identity,
    so an amendment that rewrote an objective keeps its history."""
    objectives = list(tour.agreed_revision.objectives.all()) if tour.agreed_revision_id else []
    progress = (
        CheckInProgress.objects.filter(checkin__tour=tour)
        .select_related("checkin__author", "objective")
        .order_by("checkin__due_on", "checkin__created_at", "pk")
    )
    latest = {p.objective.identity: p for p in progress}  # the last one wins
    return [ObjectiveProgress(o, latest.get(o.identity)) for o in objectives]


def agenda_state(due_on, today):
    if due_on > today:
        return "upcoming"
    return "overdue" if checkin_is_overdue(due_on, today) else "due"


def context(user, tour, today=None):
    today = today or timezone.localdate()
    role = party_role(user, tour)
    due_on = tour.checkin_due_on if tour.state == Tour.State.AGREED else None
    points = TalkingPoint.objects.filter(tour=tour).select_related("author", "covered_by")
    data = {
        "tour": tour,
        "role": role,
        "due_on": due_on,
        "may_add": access.may(user, tour, "agenda"),
        "objectives": objectives_with_progress(tour),
    }
    if due_on is None:
        data["earlier"] = list(points.filter(covered_for__isnull=False).order_by("-covered_for", "pk")[:EARLIER_POINTS])
        return data
    record_from = due_on - datetime.timedelta(days=RECORD_FROM_DAYS)
    recorded = {c.side: c for c in CheckIn.objects.filter(tour=tour, due_on=due_on).select_related("author")}
    data.update(
        state=agenda_state(due_on, today),
        points=list(points.on_agenda(due_on).order_by("created_at", "pk")),
        earlier=list(points.filter(covered_for__lt=due_on).order_by("-covered_for", "pk")[:EARLIER_POINTS]),
        recorded=[recorded.get(side) for side in ("employee", "manager")],
        # As tours.timeline.open_due_dates: from a month before the date, once per side.
        may_record=bool(role) and role not in recorded and record_from <= today,
        opens_on=record_from,
        waiting_to_open=bool(role) and role not in recorded and record_from > today,
        met_on=next((c.met_on for c in recorded.values() if c.met_on), None),
        note=access.my_note(user, tour, due_on) if data["may_add"] else None,
    )
    return data
