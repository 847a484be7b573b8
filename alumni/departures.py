"""Departures: recorded (offboard), a hire withdrawn, brought forward, taking effect on their day, undone.
Each runs in one transaction that locks the person's row. They build on alumni.services (its AlumniError, the
access a departure removes, the alumni invitation), which never imports this module."""

from django.db import transaction
from django.utils import timezone

from alliance import access
from alliance.events import emit
from alliance.models import Employee
from alliance.notifications import notify_hr
from alumni.models import AlumniProfile, Departure, Invitation, departure_already_recorded
from alumni.services import AlumniError, access_remove, send_invitation
from tours import services as tour_services
from tours.models import Tour


def current_tours(employee, on):
    """Agreed tours still running on `on` or starting later: a departure ends them."""
    return Tour.objects.filter(employee=employee, state=Tour.State.AGREED).filter(
        end_date__isnull=True
    ) | Tour.objects.filter(employee=employee, state=Tour.State.AGREED, end_date__gte=on)


def _end_current_tours(departure, *, company_kept, employee_kept):
    """End the tours the departure ends, dated its day (not before a tour's start): as planned when the person
    leaves at the end of their tour and the tour ends by then, else early, with the reason for leaving."""
    day, reason = departure.departure_date, departure.reason
    for tour in current_tours(departure.employee, day):
        as_planned = reason == Departure.Reason.END_OF_TOUR and tour.end_date and tour.end_date <= day
        tour_services.tour_end(
            tour=tour,
            ended_on=max(day, tour.start_date),
            outcome=Tour.Outcome.PLANNED_DEPARTURE if as_planned else Tour.Outcome.ENDED_EARLY,
            # Without the name: the tour is already theirs, and a name here outlives an erasure in copies.
            end_reason="" if as_planned else f"Left: {Departure.Reason(reason).label.lower()}.",
            company_kept=company_kept,
            employee_kept=employee_kept,
        )


def _end_ended_tours_earlier(employee, day):
    """Tours a departure recorded ahead ended on its later date end `day` (not before their start) instead; each
    moved end is announced again (tour.ended, tours.services.tour_end_earlier)."""
    ended = Tour.objects.filter(
        employee=employee, state__in=[Tour.State.COMPLETED, Tour.State.ENDED_EARLY], ended_on__gt=day
    )
    for tour in ended:
        tour_services.tour_end_earlier(tour=tour, ended_on=max(day, tour.start_date))


@transaction.atomic
def offboard(
    *,
    employee,
    by,
    departure_date,
    reason,
    exit_notes,
    company_kept,
    employee_kept,
    invite,
    rehire_eligible=None,
    rehire_reason="",
):
    """Record the departure, end the current tour with its promises-kept answers, open the profile.
    A departure dated today or earlier takes effect at once (staff status, groups, sessions, and the alumni
    invitation if `invite`); a later one on its date, through departures_apply: nobody is invited to the alumni
    while they still work here."""
    # The row lock makes a second submission (two clicks, two tabs) wait and then see the first one's
    # departure date; the one-current-departure constraint is the last line.
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.departure_date and employee.departure_date <= timezone.localdate():
        raise AlumniError(f"{employee.full_name} has already left.")
    if employee.departure_date:
        raise AlumniError(departure_already_recorded(employee))
    if departure_date < employee.hire_date:
        raise AlumniError("The departure date cannot be before the hire date.")
    departure = Departure.objects.create(
        employee=employee,
        departure_date=departure_date,
        reason=reason,
        exit_notes=exit_notes,
        rehire_eligible=rehire_eligible,
        rehire_reason=rehire_reason,
        recorded_by=by,
        invite=invite,
    )
    _end_current_tours(departure, company_kept=company_kept, employee_kept=employee_kept)
    employee.departure_date = departure_date
    employee.save(update_fields=["departure_date"])
    AlumniProfile.objects.get_or_create(employee=employee)
    if departure_date <= timezone.localdate():
        _take_effect(departure)
    if not access.is_hr(by):  # HR follows up what a manager records: rehire eligibility, the exit, the reports
        recorder = getattr(access.person(by), "full_name", by.email)
        notify_hr(
            message=f"{recorder} recorded {employee.full_name}'s departure on {departure_date:%d %b %Y}.",
            url=employee.get_absolute_url(),
            email_subject=f"Departure recorded: {employee.full_name}",
            actor=by,
        )
    return departure


@transaction.atomic
def hire_withdraw(*, employee, by, exit_notes):
    """A future hire who will not start (the offer withdrawn; their account deactivated in the identity provider
    before their first day). A departure cannot come before the hire date (offboard), and a departure on that date
    would leave them a starter until then and then an alumnus; instead they are employed for no day at all: the hire
    date becomes today and the departure is recorded for today (hire and departure on the same day, so no rule,
    list or report counts them as employed, starting or joined), and it takes effect at once. Their sign-in closes
    (links, sessions, and the password, so no route opens a page); agreed tours end, and tours a fixed term recorded
    ahead ended on its date end on their start instead; no alumni profile is made and no invitation sent (one made
    with a fixed term recorded ahead goes, with that departure). The planned start stays on the audit trail and in
    the exit notes. HR may undo it on the person page (departure_undo), as any departure recorded by mistake.
    Returns the departure."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    today = timezone.localdate()
    if not employee.starts_later(today):
        raise AlumniError(f"{employee.full_name} is not starting later: record their departure instead.")
    planned = employee.hire_date
    # A fixed term recorded ahead never comes, nor the alumni profile it opened (not joined: they never left); the
    # tours it ended on its date end on their start instead (as the agreed ones below).
    Departure.objects.filter(employee=employee, is_current=True).delete()
    _end_ended_tours_earlier(employee, today)
    AlumniProfile.objects.filter(employee=employee, joined_at__isnull=True).delete()
    departure = Departure.objects.create(
        employee=employee,
        departure_date=today,
        reason=Departure.Reason.OTHER,
        exit_notes=f"Hire withdrawn before the start date ({planned:%d %b %Y}). {exit_notes}".strip(),
        recorded_by=by,
        invite=False,
    )
    for tour in current_tours(employee, today):
        tour_services.tour_end(
            tour=tour,
            ended_on=max(today, tour.start_date),
            outcome=Tour.Outcome.ENDED_EARLY,
            end_reason="Hire withdrawn.",
            company_kept="",
            employee_kept="",
        )
    employee.hire_date = employee.departure_date = today
    employee.save(update_fields=["hire_date", "departure_date", "updated_at"])
    employee.user.set_unusable_password()  # links revoked and sessions ended below; SSO refuses who has left
    employee.user.save(update_fields=["password"])
    _take_effect(departure)  # access goes; invite is False: no invitation
    return departure


@transaction.atomic
def departure_bring_forward(*, employee, by, on=None):
    """A departure recorded for a later date takes effect `on` (default today) instead: their account was
    deactivated in the identity provider before it. The departure and the person's departure date become `on`;
    ended tours whose end is still ahead (offboard ended them on the later date) end `on` (not before their start),
    and an agreed tour that was to end before that date ends now, as offboard ends it; then it takes effect at once
    (access, sessions, sign-in links, and the alumni invitation if one was asked for). The reason, exit notes,
    rehire eligibility and the invitation asked for stay as recorded. A departure already dated `on` is only made
    to take effect if the daily step has not yet: a repeat changes nothing. Refused for a starter (their hire is
    withdrawn: hire_withdraw), for someone who has left or is rehired, and for someone with no departure recorded.
    Returns the departure."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    today = on or timezone.localdate()
    if employee.returns_on:
        raise AlumniError(
            f"{employee.full_name} is rehired, starting on {employee.returns_on:%d %b %Y}: there is no departure "
            "ahead to bring forward."
        )
    if employee.departure_date and employee.departure_date < today:
        raise AlumniError(f"{employee.full_name} left on {employee.departure_date:%d %b %Y}.")
    departure = employee.departures.filter(is_current=True).first()
    if departure is None or employee.departure_date is None:
        raise AlumniError(f"{employee.full_name} has no departure ahead to bring forward.")
    if employee.hire_date and employee.hire_date > today:
        raise AlumniError(
            f"{employee.full_name} starts on {employee.hire_date:%d %b %Y}: a departure cannot come before the "
            "start; withdraw the hire instead."
        )
    departure.employee = employee  # the locked row, read afresh
    if departure.departure_date > today:
        employee._history_user = departure._history_user = by  # the audit trail names who brought it forward
        departure.departure_date = employee.departure_date = today
        departure.save(update_fields=["departure_date"])
        employee.save(update_fields=["departure_date", "updated_at"])
        _end_ended_tours_earlier(employee, today)
        _end_current_tours(departure, company_kept="", employee_kept="")
    if departure.access_removed_at is None:
        _take_effect(departure, on=today)
    return departure


def _take_effect(departure, on=None):
    """The departure's day has come: access goes and, if asked for when it was recorded, the alumni invitation
    is sent (by whoever recorded the departure)."""
    access_remove(departure)
    employee = departure.employee
    emit("person.departed", employee, {"departure_date": str(departure.departure_date), "reason": departure.reason})
    if departure.invite and employee.has_left(on) and employee.returns_on is None:  # never a daily step's error
        send_invitation(employee=employee, by=departure.recorded_by, on=on)


def departures_apply(*, today=None):
    """The daily step for departures recorded in advance: those due by `today` take effect (access goes, the
    invitation asked for is sent). Idempotent (each departure once, marked by access_removed_at); returns how
    many took effect."""
    today = today or timezone.localdate()
    due = Departure.objects.filter(is_current=True, access_removed_at__isnull=True, departure_date__lte=today)
    applied = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and read again: a run started twice at once applies each departure once.
            departure = Departure.objects.select_for_update().select_related("employee__user").get(pk=pk)
            if departure.access_removed_at is None and departure.is_current:
                _take_effect(departure, on=today)
                applied += 1
    return applied


@transaction.atomic
def departure_undo(*, employee):
    """Undo a departure recorded by mistake: the departure record goes, the person is employed again
    and open alumni invitations are revoked. Tours the departure ended stay ended (their outcomes
    were recorded; HR drafts a new tour), and removed HR/staff rights are not given back."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.departure_date is None:
        raise AlumniError(f"{employee.full_name} has no departure to undo.")
    Departure.objects.filter(employee=employee, is_current=True).delete()
    Invitation.objects.filter(employee=employee, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    employee.departure_date = employee.returns_on = employee.returns_to = None
    employee.returns_as = ""
    employee.save(update_fields=["departure_date", "returns_on", "returns_as", "returns_to", "updated_at"])
    return employee
