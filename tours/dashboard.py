"""What the dashboard shows about tours: for an employee their own, for a manager their team's.

Bounded work: a person's own tours, and the tours of a manager's direct reports (those are the
ones waiting on the manager's own signature or check-in)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from alliance import access
from tours.models import Signature, Tour
from tours.timeline import checkin_timeline

ENDING_SOON_DAYS = 30


def _open_tours(employees):
    """Open tours of these people, with which sides signed the current terms and whether an agreed
    successor exists: one query, plus one for the check-ins."""

    def signed(role):
        return Exists(Signature.objects.filter(revision=OuterRef("current_revision"), role=role))

    return (
        Tour.objects.filter(employee__in=employees, state__in=Tour.OPEN_STATES)
        .with_related()
        .annotate(
            signed_by_employee=signed(Signature.Role.EMPLOYEE),
            signed_by_manager=signed(Signature.Role.MANAGER),
            successor_agreed=Exists(Tour.objects.filter(predecessor=OuterRef("pk"), state=Tour.State.AGREED)),
        )
        .prefetch_related("checkins")
        .order_by("employee__last_name", "start_date")
    )


def _awaiting(tour, side):
    """What this side of the tour should do now, as short phrases."""
    todo = []
    signed = tour.signed_by_employee if side == Signature.Role.EMPLOYEE else tour.signed_by_manager
    if (tour.state == Tour.State.PROPOSED or tour.amendment_pending) and not signed:
        todo.append("amendment to sign" if tour.amendment_pending else "to sign")
    if tour.state == Tour.State.AGREED:
        for due in checkin_timeline(tour, checkins=tour.checkins.all()):
            if due.state in ("due", "overdue") and side in due.missing():
                todo.append(f"check-in {due.state} ({due.due_on:%d %b})")
    return todo


def cards(user, reports=()):
    """The tour cards for this user; `reports` are their active direct reports, already fetched."""
    me = access.current_employee(user)
    if me is None:
        return {}
    today = timezone.localdate()
    tours = list(_open_tours([me, *reports]))
    mine = [t for t in tours if t.employee_id == me.pk]
    context = {
        "my_tour": next((t for t in mine if t.state == Tour.State.AGREED and t.start_date <= today), None),
        "my_todo": [(t, todo) for t in mine if (todo := _awaiting(t, Signature.Role.EMPLOYEE))],
        "my_drafts": [t for t in mine if t.state == Tour.State.DRAFT],
    }
    if reports:
        team = [t for t in tours if t.employee_id != me.pk]
        soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
        context["team_todo"] = [(t, todo) for t in team if (todo := _awaiting(t, Signature.Role.MANAGER))]
        context["team_ending"] = [
            t for t in team if t.state == Tour.State.AGREED and t.end_date and t.end_date <= soon
            and not t.successor_agreed
        ]  # fmt: skip
        covered = {t.employee_id for t in team if t.state == Tour.State.AGREED}
        context["team_without_tour"] = [p for p in reports if p.pk not in covered]
    return context
