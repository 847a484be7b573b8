"""Writes that change a tour's state. Each owns its transaction and locks what it must.

The views call these; the forms have already shown friendly messages, and the services check the
same rules again so that no path (a stale form, a second tab, a script) can break them.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alliance.events import emit
from alliance.models import Employee
from tours import notices, rules
from tours.access import party_role
from tours.models import CheckIn, CheckInProgress, Comment, Objective, Signature, Tour, TourRevision

TERM_FIELDS = [
    "title",
    "mission",
    "company_gets",
    "employee_gets",
    "company_invests",
    "start_date",
    "end_date",
    "checkin_months",
    "length_reason",
    "aspirations_served",
]

NEXT_PREFIX = "Next: "


class TourError(Exception):
    """A request the rules refuse; the message is written for the person who made it."""


class StaleRevision(TourError):
    """Someone saved a newer revision since the form was opened (optimistic locking). `newest` is that
    revision, so the form can be shown again on top of it."""

    def __init__(self, message, newest):
        super().__init__(message)
        self.newest = newest


def _lock(tour, *related):
    """Lock the tour's row, then read it and `related` afresh.

    Two statements on purpose: on PostgreSQL (READ COMMITTED) a locking query that had to wait
    re-reads only the locked row when the lock is granted; rows it joins come from its snapshot taken
    before the wait, so a revision saved meanwhile would be missing (current_revision None).
    A statement started after the lock is granted sees everything committed before it."""
    if not list(Tour.objects.select_for_update().filter(pk=tour.pk).values_list("pk", flat=True)):
        raise TourError("This tour was deleted meanwhile.")
    tours = Tour.objects.with_related()
    return (tours.select_related(*related) if related else tours).get(pk=tour.pk)


def _copy_terms_to_tour(tour, revision):
    tour.title = revision.title
    tour.start_date, tour.end_date = revision.start_date, revision.end_date
    tour.checkin_months = revision.checkin_months


def _set_checkin_due(tour):
    tour.checkin_due_on = tour.next_checkin_due(tour.checkins.values_list("due_on", "side"))


def _revision_fields(terms):
    fields = {field: terms.get(field) or "" for field in TERM_FIELDS}  # text fields may be left out
    fields.update(
        start_date=terms["start_date"], end_date=terms.get("end_date"), checkin_months=terms["checkin_months"]
    )
    return fields


def _same_terms(revision, terms, objectives, values):
    """True if saving these would write a copy of `revision` (and so void its signatures for nothing)."""
    return (
        all(getattr(revision, field) == value for field, value in _revision_fields(terms).items())
        and [(o.side, o.description, o.measure) for o in revision.objectives.all()]
        == [(o["side"], o["description"], o.get("measure") or "") for o in objectives]
        and {v.pk for v in revision.values.all()} == {v.pk for v in values}
    )


def _write_revision(*, tour, number, terms, objectives, values, author, change_note="", base=None):
    """A new revision. An objective whose `ref` names an objective of `base` (the revision the form was opened on)
    continues it (the same identity); any other is new. A ref is only ever matched within `base`, once."""
    fields = _revision_fields(terms)
    revision = TourRevision.objects.create(tour=tour, number=number, author=author, change_note=change_note, **fields)
    carried = {o.pk: o.identity for o in base.objectives.all()} if base is not None else {}
    rows, used = [], set()
    for i, objective in enumerate(objectives):
        objective = dict(objective)
        lineage = carried.get(objective.pop("ref", None))
        if lineage in used:
            lineage = None  # two rows cannot both continue one objective: the second is new
        used.add(lineage)
        rows.append(Objective(revision=revision, position=i, lineage=lineage, **objective))
    Objective.objects.bulk_create(rows)
    revision.values.set(values)
    return revision


def _check_rules(tour_type, programme, terms):
    problems = rules.terms_problems(
        tour_type=tour_type,
        programme=programme,
        start=terms["start_date"],
        end=terms.get("end_date"),
        length_reason=terms.get("length_reason", ""),
    )
    if problems:
        raise TourError(" ".join(message for _, message in problems))


@transaction.atomic
def tour_create(*, employee, tour_type, programme, terms, objectives, values, author, predecessor=None, change_note=""):
    _check_rules(tour_type, programme, terms)
    # A boomerang rehired with a future start is employed from the tour's start: their first tour is drafted now.
    if employee.has_left() and not employee.is_active_on(terms["start_date"]):
        raise TourError(f"{employee.full_name} has left the company: no new tour can start.")
    if employee.starts_later() and terms["start_date"] < employee.hire_date:
        raise TourError(
            f"{employee.full_name} starts on {employee.hire_date:%d %b %Y}: the first tour starts then or later."
        )
    tour = Tour(employee=employee, type=tour_type, programme=programme, predecessor=predecessor, created_by=author)
    tour.title, tour.start_date, tour.end_date = terms["title"], terms["start_date"], terms.get("end_date")
    tour.checkin_months = terms["checkin_months"]
    tour.save()
    tour.current_revision = _write_revision(
        tour=tour,
        number=1,
        terms=terms,
        objectives=objectives,
        values=values,
        author=author,
        change_note=change_note or "First draft",  # the author's own note when they wrote one
    )
    tour.save(update_fields=["current_revision"])
    return tour


@transaction.atomic
def tour_revise(*, tour, base_number, terms, objectives, values, author, change_note=""):
    """A new revision of the terms. Refused if someone saved another one since `base_number`
    (the row lock makes two simultaneous saves queue up, so the second sees the first).

    Saving what the current revision already says writes nothing and returns None: a new revision
    would void the signatures on it for no change."""
    tour = _lock(tour, "programme")
    if not tour.is_editable:
        raise TourError("This tour has ended; its terms can no longer change.")
    current = tour.current_revision
    if current.number != base_number:
        who = current.author.get_full_name() or current.author.email
        raise StaleRevision(
            f"While you were editing, {who} saved revision {current.number} "
            f"({timezone.localtime(current.created_at):%d %b %H:%M}). Nothing was saved yet: their changes and "
            "yours are merged in the form below. Check it (and choose where you both changed a term), then save again.",
            newest=current,
        )
    _check_rules(tour.type, tour.programme, terms)
    if _same_terms(current, terms, objectives, values):
        return None
    revision = _write_revision(
        tour=tour,
        number=current.number + 1,
        terms=terms,
        objectives=objectives,
        values=values,
        author=author,
        change_note=change_note,
        base=current,
    )
    tour.current_revision = revision
    if tour.state != Tour.State.AGREED:
        _copy_terms_to_tour(tour, revision)  # while agreed, the agreed terms stay in force
    tour.save()
    if tour.state != Tour.State.DRAFT:
        notices.revised(tour, revision, author)
    return revision


@transaction.atomic
def tour_propose(*, tour, user):
    tour = _lock(tour)
    if tour.state != Tour.State.DRAFT:
        raise TourError("Only a draft can be proposed.")
    tour.state = Tour.State.PROPOSED
    tour.save(update_fields=["state", "updated_at"])
    notices.proposed(tour, user)
    emit("tour.proposed", tour, {"employee_id": tour.employee_id, "revision": tour.current_revision.number})
    return tour


@transaction.atomic
def tour_sign(*, tour, user, revision_number):
    """Sign the revision the user read. Returns True when this signature makes the tour agreed.

    Locks the employee row first, then the tour: every signature that could make one of this
    employee's tours agreed queues on the same lock, so two tours can never both pass the overlap
    check at once. PostgreSQL's exclusion constraint is the last line behind it."""
    Employee.objects.select_for_update().get(pk=tour.employee_id)
    tour = _lock(tour)
    role = party_role(user, tour)
    if role is None:
        raise PermissionDenied("Only the employee and their manager sign a tour.")
    if tour.state == Tour.State.DRAFT:
        raise TourError("Propose the tour before signing it.")
    if not (tour.state == Tour.State.PROPOSED or tour.amendment_pending):
        raise TourError("There is nothing to sign: these terms are already agreed.")
    revision = tour.current_revision
    if revision.number != revision_number:
        raise StaleRevision(
            f"The terms changed since you opened the page: read revision {revision.number}, then sign.", newest=revision
        )
    if revision.signatures.filter(role=role).exists():
        raise TourError("You have already signed this revision.")
    Signature.objects.create(revision=revision, role=role, signer=user)
    if revision.signatures.count() < 2:
        notices.signed(tour, user)
        emit("tour.signed", tour, {"role": role, "revision": revision.number, "agreed": False})
        return False
    overlapping = (
        Tour.objects.filter(employee_id=tour.employee_id, state=Tour.State.AGREED)
        .exclude(pk=tour.pk)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=revision.start_date))
    )
    if revision.end_date is not None:
        overlapping = overlapping.filter(start_date__lte=revision.end_date)
    clash = overlapping.first()
    if clash is not None:
        raise TourError(
            f"These dates overlap “{clash.title}”, agreed from {clash.start_date} to "
            f"{clash.end_date or 'open-ended'}. One tour is in force at a time: change the dates and sign again."
        )
    tour.state = Tour.State.AGREED
    tour.agreed_revision = revision
    tour.agreed_at = timezone.now()
    _copy_terms_to_tour(tour, revision)
    _set_checkin_due(tour)  # the (amended) schedule decides what is due next
    try:
        with transaction.atomic():
            tour.save()
    except IntegrityError:
        raise TourError("These dates overlap another agreed tour of this employee.") from None
    notices.agreed(tour)
    emit("tour.signed", tour, {"role": role, "revision": revision.number, "agreed": True})
    return True


@transaction.atomic
def tour_comment(*, tour, user, body):
    return Comment.objects.create(tour=tour, author=user, body=body)


@transaction.atomic
def tour_check_in(*, tour, user, due_on, other_side_keeping, note, progress, met_on=None):
    """`progress` is a list of (objective, status, note) for the agreed revision's objectives; `met_on` the day
    the two sides met (the 1:1 workspace's "We met").
    The tour's row lock makes two check-ins of one side (two tabs, two servers) queue: the second is refused."""
    tour = _lock(tour)
    role = party_role(user, tour)
    if role is None:
        raise PermissionDenied("Only the employee and their manager check in on a tour.")
    if tour.state != Tour.State.AGREED:
        raise TourError("Check-ins start once the tour is agreed.")
    if CheckIn.objects.filter(tour=tour, due_on=due_on, side=role).exists():
        raise TourError(f"You have already checked in for {due_on}.")
    checkin = CheckIn.objects.create(
        tour=tour,
        revision=tour.agreed_revision,
        due_on=due_on,
        side=role,
        author=user,
        other_side_keeping=other_side_keeping,
        note=note,
        met_on=met_on,
    )
    CheckInProgress.objects.bulk_create(
        CheckInProgress(checkin=checkin, objective=objective, status=status, note=progress_note)
        for objective, status, progress_note in progress
    )
    # Under the tour's row lock, so the other side checking in at the same moment cannot leave the
    # due date behind: whichever commits second sees both check-ins.
    _set_checkin_due(tour)
    tour.save(update_fields=["checkin_due_on"])
    notices.checked_in(tour, checkin, user)
    emit("checkin.recorded", checkin, {"tour_id": tour.pk, "due_on": due_on.isoformat(), "side": role})
    return checkin


@transaction.atomic
def tour_plan_next(*, tour, user):
    """A draft successor linked to this tour, pre-filled from its terms."""
    tour = _lock(tour, "programme")
    if Tour.objects.filter(predecessor=tour).exists():
        raise TourError("The next tour is already being planned.")
    if tour.state not in (Tour.State.AGREED, Tour.State.COMPLETED):
        raise TourError("Plan the next tour once this one is agreed.")
    source = tour.agreed_revision or tour.current_revision
    start = (tour.end_date or timezone.localdate()) + timezone.timedelta(days=1)
    end = None
    if tour.end_date is not None:
        end = start + (tour.end_date - tour.start_date)
        if tour.type == Tour.Type.ROTATIONAL:
            end = rules.rotational_end(tour.programme, start)
    terms = {field: getattr(source, field) for field in TERM_FIELDS}
    # Titled from the original: the third tour is not "Next: Next: …".
    title = source.title
    while title.startswith(NEXT_PREFIX):
        title = title.removeprefix(NEXT_PREFIX)
    terms.update(title=f"{NEXT_PREFIX}{title}"[:200], start_date=start, end_date=end)
    objectives = [{"side": o.side, "description": o.description, "measure": o.measure} for o in source.objectives.all()]
    return tour_create(
        employee=tour.employee,
        tour_type=tour.type,
        programme=tour.programme,
        terms=terms,
        objectives=objectives,
        values=list(source.values.all()),
        author=user,
        predecessor=tour,
    )


@transaction.atomic
def tour_end(*, tour, ended_on, outcome, end_reason, company_kept, employee_kept):
    tour = _lock(tour)
    if tour.state != Tour.State.AGREED:
        raise TourError("Only an agreed tour can end.")
    if ended_on < tour.start_date:
        raise TourError("A tour cannot end before it starts.")
    if outcome == Tour.Outcome.SUCCESSOR and not Tour.objects.filter(predecessor=tour).exists():
        raise TourError("Plan the next tour first: the outcome “next tour follows” links to it.")
    if outcome == Tour.Outcome.ENDED_EARLY and not end_reason.strip():
        raise TourError("Say why the tour ended early.")
    tour.state = Tour.State.ENDED_EARLY if outcome == Tour.Outcome.ENDED_EARLY else Tour.State.COMPLETED
    tour.ended_on, tour.outcome, tour.end_reason = ended_on, outcome, end_reason
    tour.company_kept, tour.employee_kept = company_kept, employee_kept
    tour.checkin_due_on = None  # no longer in force: nothing is due
    tour.save()
    _announce_ended(tour)
    return tour


def _announce_ended(tour):
    """tour.ended with the tour's end as it now stands. Sent again whenever that end moves: the payload is the same
    and a subscriber takes the latest one as the truth."""
    payload = {"employee_id": tour.employee_id, "outcome": tour.outcome, "ended_on": tour.ended_on.isoformat()}
    emit("tour.ended", tour, payload)


@transaction.atomic
def tour_end_earlier(*, tour, ended_on):
    """An ended tour whose end is still ahead ends on `ended_on` instead (the departure that ended it is
    brought forward): its outcome and promises-kept answers stay. Never later than it was, nor before it starts.
    A moved end is announced again (tour.ended, the new date); a call that moves nothing announces nothing."""
    tour = _lock(tour)
    if tour.state not in (Tour.State.COMPLETED, Tour.State.ENDED_EARLY):
        raise TourError("Only an ended tour can end earlier.")
    if ended_on < tour.start_date:
        raise TourError("A tour cannot end before it starts.")
    if ended_on < tour.ended_on:
        tour.ended_on = ended_on
        tour.save()
        _announce_ended(tour)
    return tour


@transaction.atomic
def tour_delete_draft(*, tour):
    tour = _lock(tour)
    if tour.agreed_revision_id:
        raise TourError("Only a tour that was never agreed can be deleted.")
    if not tour.is_deletable:
        raise TourError(
            "Only a draft can be deleted: this tour was proposed to the other side. Change its terms instead."
        )
    Tour.objects.filter(pk=tour.pk).update(current_revision=None)
    tour.delete()
