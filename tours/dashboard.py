"""What the dashboard shows about tours: for an employee their own, for a manager their team's.

Bounded work: a person's own tours, and the tours of a manager's direct reports (those are the
ones waiting on the manager's own signature or check-in)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from alliance import access
from alliance.reporting import figure
from alliance.roles import roles_of
from tours.models import Signature, Tour
from tours.timeline import checkin_timeline

ENDING_SOON_DAYS = 30
# A check-in this close is worth a line on the dashboard before it is due.
CHECKIN_HEADS_UP_DAYS = 14


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


def _next_checkin(tour, side, today):
    """The earliest check-in this side still owes on an agreed tour, if it falls due within
    CHECKIN_HEADS_UP_DAYS (or already has): its due date, else None."""
    if tour.state != Tour.State.AGREED:
        return None
    horizon = today + datetime.timedelta(days=CHECKIN_HEADS_UP_DAYS)
    owed = [
        due.due_on
        for due in checkin_timeline(tour, today, checkins=tour.checkins.all())
        if side in due.missing() and due.due_on <= horizon
    ]
    return min(owed, default=None)


def _when(due_on, today):
    days = (due_on - today).days
    if days > 1:
        return f"is due in {days} days"
    if days == 1:
        return "is due tomorrow"
    if days == 0:
        return "is due today"
    return f"was due {-days} day{'s' if days < -1 else ''} ago"


def _next_actions(tours, side, today, *, whose):
    """The dashboard's "next action" lines, most pressing first: (text, url). `whose(tour)` names the
    check-in's owner ("Your", "Elena's")."""
    actions = []
    to_sign = [t for t in tours if any("to sign" in item for item in _awaiting(t, side))]
    if to_sign:
        n = len(to_sign)
        actions.append((f"{n} tour{'s' if n != 1 else ''} to sign", to_sign[0].get_absolute_url()))
    dues = sorted(
        ((due, t) for t in tours if (due := _next_checkin(t, side, today)) is not None), key=lambda pair: pair[0]
    )
    actions += [(f"{whose(t)} check-in {_when(due, today)}", t.get_absolute_url()) for due, t in dues]
    return actions


def _progress(tour, today):
    """How far through its term a tour is, in percent (None when open-ended)."""
    if tour is None or tour.end_date is None:
        return None
    term = (tour.end_date - tour.start_date).days or 1
    return max(0, min(100, round(100 * (today - tour.start_date).days / term)))


def cards(user, reports=()):
    """The tour cards for this user; `reports` are their active direct reports, already fetched."""
    me = access.current_employee(user)
    if me is None:
        starter = roles_of(user).starter
        if starter is None:
            return {}
        # Preboarding: the welcome page lists the first tour drafted for them, to read before day one.
        return {"first_tours": list(Tour.objects.filter(employee=starter).order_by("start_date", "pk"))}
    today = timezone.localdate()
    tours = list(_open_tours([me, *reports]))
    mine = [t for t in tours if t.employee_id == me.pk]
    my_tour = next((t for t in mine if t.state == Tour.State.AGREED and t.start_date <= today), None)
    context = {
        "my_tour": my_tour,
        "my_progress": _progress(my_tour, today),
        "my_days_left": (my_tour.end_date - today).days if my_tour and my_tour.end_date else None,
        "my_next": _next_actions(mine, Signature.Role.EMPLOYEE, today, whose=lambda t: "Your"),
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
        # In force today, as tours.reports.covered_on counts it (the people directory's "tour" filter).
        covered = {
            t.employee_id for t in team
            if t.state == Tour.State.AGREED and t.start_date <= today and (t.end_date is None or t.end_date >= today)
        }  # fmt: skip
        context["team_without_tour"] = [p for p in reports if p.pk not in covered]
        mine = {"manager": me.employee_number, "status": "active"}
        context["team_covered"] = figure(len(reports) - len(context["team_without_tour"]), "people:list", **mine,
                                         tour="covered")  # fmt: skip
        context["team_size"] = figure(len(reports), "people:list", **mine)
        context["team_next"] = _next_actions(
            team, Signature.Role.MANAGER, today, whose=lambda t: f"{t.employee.first_name}'s"
        )
    return context
