"""What the dashboard shows about tours: for an employee their own, for a manager their team's.

Bounded work: a person's own tours, and the tours of a manager's direct reports (those are the
ones waiting on the manager's own signature or check-in)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from alliance import access
from tours.models import Signature, Tour
from tours.timeline import checkin_timeline

ENDING_SOON_DAYS = 30


def _open_tours(employees):
    signatures = Prefetch("current_revision__signatures", queryset=Signature.objects.only("role", "revision_id"))
    return (
        Tour.objects.filter(employee__in=employees, state__in=Tour.OPEN_STATES)
        .with_related()
        .prefetch_related(signatures, "checkins")
        .order_by("employee__last_name", "start_date")
    )


def _awaiting(tour, side):
    """What this side of the tour should do now, as short phrases."""
    todo = []
    signed = {s.role for s in tour.current_revision.signatures.all()}
    if (tour.state == Tour.State.PROPOSED or tour.amendment_pending) and side not in signed:
        todo.append("amendment to sign" if tour.amendment_pending else "to sign")
    if tour.state == Tour.State.AGREED:
        for due in checkin_timeline(tour, checkins=tour.checkins.all()):
            if due.state in ("due", "overdue") and side in due.missing():
                todo.append(f"check-in {due.state} ({due.due_on:%d %b})")
    return todo


def cards(user):
    me = access.current_employee(user)
    if me is None:
        return {}
    today = timezone.localdate()
    mine = list(_open_tours([me]))
    context = {
        "my_tour": next((t for t in mine if t.state == Tour.State.AGREED and t.start_date <= today), None),
        "my_todo": [(t, todo) for t in mine if (todo := _awaiting(t, Signature.Role.EMPLOYEE))],
        "my_drafts": [t for t in mine if t.state == Tour.State.DRAFT],
    }
    if access.is_manager(user):
        team = list(_open_tours(me.reports.active()))
        soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
        successors = set(
            Tour.objects.filter(predecessor__in=team, state=Tour.State.AGREED).values_list("predecessor_id", flat=True)
        )
        context["team_todo"] = [(t, todo) for t in team if (todo := _awaiting(t, Signature.Role.MANAGER))]
        context["team_ending"] = [
            t for t in team if t.state == Tour.State.AGREED and t.end_date and t.end_date <= soon
            and t.pk not in successors
        ]  # fmt: skip
        covered = {t.employee_id for t in team if t.state == Tour.State.AGREED}
        context["team_without_tour"] = [p for p in me.reports.active().order_by("last_name") if p.pk not in covered]
    return context
