"""Writes of the 1:1 workspace. Each locks the tour's row first, then reads its open agenda (the tour's
`checkin_due_on`) afresh: a check-in recorded meanwhile may have closed the agenda the page was opened on."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import PrivateNote, TalkingPoint
from tours import services as tour_services
from tours.models import Tour
from tours.services import TourError

# A check-in may be recorded from a month before its date, as the check-in form allows (tours.timeline.open_due_dates).
RECORD_FROM_DAYS = 31


def _open_agenda(tour):
    """Lock the tour and return (tour, due date of its open agenda). No agenda before the tour is agreed, and
    none once every check-in up to its end is answered."""
    tour = Tour.objects.select_for_update().filter(pk=tour.pk).first()
    if tour is None:
        raise TourError("This tour was deleted meanwhile.")
    if tour.state != Tour.State.AGREED or tour.checkin_due_on is None:
        raise TourError("This tour has no check-in ahead, so no agenda is open.")
    return tour, tour.checkin_due_on


@transaction.atomic
def point_add(*, tour, user, text):
    tour, due_on = _open_agenda(tour)
    return TalkingPoint.objects.create(tour=tour, author=user, text=text, added_for=due_on)


@transaction.atomic
def point_cover(*, point, user, covered):
    """Tick a point covered on the open agenda, or untick it. A point covered on an agenda that has closed
    stays with that meeting (its record); the lock makes a tick and the closing check-in queue."""
    tour, due_on = _open_agenda(point.tour)
    point = TalkingPoint.objects.get(pk=point.pk)
    if point.covered_for is not None and point.covered_for != due_on:
        raise TourError("That point was covered at an earlier check-in; its meeting is closed.")
    if covered and point.covered_for is None:
        point.covered_for, point.covered_by = due_on, user
    elif not covered:
        point.covered_for, point.covered_by = None, None
    point.save(update_fields=["covered_for", "covered_by"])
    return point


@transaction.atomic
def point_delete(*, point):
    _open_agenda(point.tour)
    point = TalkingPoint.objects.filter(pk=point.pk).first()
    if point is not None and point.covered_for is not None:
        raise TourError("A point that was covered stays on the record of its meeting.")
    if point is not None:
        point.delete()


@transaction.atomic
def note_save(*, tour, user, text):
    """The author's private note for the open agenda's check-in (one row per person and meeting: the unique
    constraint)."""
    tour, due_on = _open_agenda(tour)
    try:
        with transaction.atomic():
            note, _ = PrivateNote.objects.update_or_create(
                tour=tour, author=user, due_on=due_on, defaults={"text": text, "updated_at": timezone.now()}
            )
    except IntegrityError:  # the same person saving in two tabs at once: the other save made the row
        note = PrivateNote.objects.get(tour=tour, author=user, due_on=due_on)
        note.text, note.updated_at = text, timezone.now()
        note.save(update_fields=["text", "updated_at"])
    return note


@transaction.atomic
def meeting_record(*, tour, user, due_on, met_on, other_side_keeping, note, progress):
    """One side's "We met": their check-in for the open agenda's due date, with the day they met, through
    tours.services.tour_check_in (its rules, its lock, any notice it sends). When both sides have, it moves
    the tour's due date on: the agenda closes and the next one is open.

    Races: the page carries the due date it was opened on. A second click of the same side (two tabs, a double
    click) is refused by tour_check_in under the tour's lock ("already checked in", and the unique check-in per
    side and date); a click on an agenda that closed meanwhile is refused here, so it can never record the next
    period's check-in by mistake."""
    tour, open_due = _open_agenda(tour)
    if due_on != open_due:
        raise TourError(
            f"The agenda for {due_on:%d %b %Y} was closed meanwhile: both sides had recorded that meeting. "
            "The next agenda is open below."
        )
    today = timezone.localdate()
    if due_on > today + datetime.timedelta(days=RECORD_FROM_DAYS):
        raise TourError(f"The check-in of {due_on:%d %b %Y} is more than a month away: record it nearer the day.")
    if met_on > today:
        raise TourError("That day is still ahead: record the meeting once you have met.")
    if met_on < tour.start_date:
        raise TourError(f"The tour started on {tour.start_date:%d %b %Y}: the meeting cannot be earlier.")
    return tour_services.tour_check_in(
        tour=tour,
        user=user,
        due_on=due_on,
        other_side_keeping=other_side_keeping,
        note=note,
        progress=progress,
        met_on=met_on,
    )
