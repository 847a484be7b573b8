"""The tour reports' monthly history (trends.series): tours in force and signed by type (coverage), check-ins
on time (check-ins), next-tour conversations held before the tour ended (outcomes).

Each `*_values(day, people=None)` is the one definition of its measures: the report calls it for today (its
live figure, narrowed to the people in its scope) and record_trends for the last day of each past month
(company-wide). Today the live rules decide (state "agreed", Tour.checkin_due_on); for a day gone by they are
read from the data's own dates, since a tour then in force may have ended since: agreed by then (agreed_at),
started, not past its end date and not ended (ended_on), and check-ins answered by then (created_at)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from alliance.querysets import among, employed_on, on_days
from tours.models import CheckIn, Tour
from tours.querysets import in_force_on
from tours.schedule import CHECKIN_GRACE_DAYS, scheduled_dates
from trends.series import SHARE, Measure, Trend, month_start, share

TYPES = Tour.Type.choices


def in_force_as_of(day):
    """Tours in force on `day` (a condition on Tour): the live rule from today on, the dates before."""
    if day >= timezone.localdate():
        return in_force_on(day)
    return (
        Q(agreed_at__date__lte=day, start_date__lte=day)
        & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def _tours(people):
    return among(Tour.objects.all(), "employee", people)


def coverage_values(day, people=None):
    """Per type: tours in force on `day` of people employed that day, and tours signed (agreed) in `day`'s
    month up to that day."""
    tours = _tours(people)
    in_force = dict(
        tours.filter(in_force_as_of(day), employed_on(day, "employee__"))
        .values_list("type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    signed = dict(
        tours.filter(on_days("agreed_at", month_start(day), day)).values_list("type").annotate(n=Count("pk")).order_by()
    )
    values = {f"tours_in_force_{t}": in_force.get(t, 0) for t, _ in TYPES}
    values.update({f"tours_signed_{t}": signed.get(t, 0) for t, _ in TYPES})
    return values


COVERAGE = Trend(
    title="Tours in force and signed, by type",
    measures=(
        *(Measure(f"tours_in_force_{t}", f"{label} tours in force") for t, label in TYPES),
        *(Measure(f"tours_signed_{t}", f"{label} tours signed that month") for t, label in TYPES),
    ),
    values=coverage_values,
    headline="tours_in_force_transformational",
)


def _overdue_then(tour, day):
    """Whether `tour` had a check-in overdue on `day` (a past day): a date of its schedule more than the grace days
    before `day` that both sides had not answered by then."""
    last = day - datetime.timedelta(days=CHECKIN_GRACE_DAYS + 1)
    if tour.end_date is not None:
        last = min(last, tour.end_date)
    answered = {}
    for checkin in tour.answered:
        answered.setdefault(checkin.due_on, set()).add(checkin.side)
    return any(len(answered.get(due, ())) < 2 for due in scheduled_dates(tour.start_date, tour.checkin_months, last))


def checkin_values(day, people=None):
    """Agreed tours in force on `day`, how many had a check-in overdue then, and the share on time (none overdue)."""
    tours = _tours(people).filter(in_force_as_of(day))
    if day >= timezone.localdate():
        # The check-ins report's own rule (tours.reports.checkin_conditions reads the same column).
        overdue_before = day - datetime.timedelta(days=CHECKIN_GRACE_DAYS)
        counts = tours.aggregate(n=Count("pk"), overdue=Count("pk", filter=Q(checkin_due_on__lt=overdue_before)))
        total, overdue = counts["n"], counts["overdue"]
    else:
        answered = CheckIn.objects.filter(created_at__date__lte=day).only("tour_id", "due_on", "side")
        then = tours.only("start_date", "end_date", "checkin_months").prefetch_related(
            Prefetch("checkins", queryset=answered, to_attr="answered")
        )
        flags = [_overdue_then(tour, day) for tour in then.iterator(chunk_size=2000)]
        total, overdue = len(flags), sum(flags)
    return {"checkins_in_force": total, "checkins_overdue": overdue, "checkins_on_time": share(total - overdue, total)}


CHECKINS = Trend(
    title="Check-ins on time",
    measures=(
        Measure("checkins_in_force", "Tours in force"),
        Measure("checkins_overdue", "With a check-in overdue"),
        Measure("checkins_on_time", "On time (no check-in overdue)", SHARE),
    ),
    values=checkin_values,
    headline="checkins_overdue",
)


def outcome_values(day, people=None):
    """Tours ended in `day`'s month up to that day, and how many of them had their next tour drafted (the
    next-tour conversation held) by the day they ended."""
    ended = _tours(people).filter(ended_on__gte=month_start(day), ended_on__lte=day)
    early = Tour.objects.filter(predecessor=OuterRef("pk"), created_at__date__lte=OuterRef("ended_on"))
    counts = ended.aggregate(n=Count("pk"), held=Count("pk", filter=Q(Exists(early))))
    return {
        "tours_ended": counts["n"],
        "conversations_held": counts["held"],
        "conversations_held_share": share(counts["held"], counts["n"]),
    }


OUTCOMES = Trend(
    title="Next-tour conversations held before the tour ended",
    measures=(
        Measure("tours_ended", "Tours ended that month"),
        Measure("conversations_held", "Next tour drafted before the end"),
        Measure("conversations_held_share", "Share held before the end", SHARE),
    ),
    values=outcome_values,
    headline="conversations_held",
)

TRENDS = [COVERAGE, CHECKINS, OUTCOMES]
