"""The check-in schedule: due dates every `checkin_months` from a tour's start, and the one rule for
"overdue" (CHECKIN_GRACE_DAYS after the due date), used by every page, report, CSV and reminder (with
Tour.checkin_due_on, the stored next due date)."""

import datetime

# A check-in is "due" from its date and "overdue" this many days later: the one grace period every
# page, report, CSV and reminder uses (with Tour.checkin_due_on, the one definition of overdue).
CHECKIN_GRACE_DAYS = 14


def add_months(day, months):
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + datetime.timedelta(days=day.day - 1),
        next_month - datetime.timedelta(days=1),
    )


def checkin_is_overdue(due_on, today):
    """The same rule for one due date (the timeline, the dashboard and the reminder)."""
    return due_on + datetime.timedelta(days=CHECKIN_GRACE_DAYS) < today


def next_scheduled_due(start, end, months, complete):
    """The first date of the schedule (start + k × months, up to `end`) not in `complete`."""
    k = 1
    while True:
        due = add_months(start, months * k)
        if end is not None and due > end:
            return None
        if due not in complete:
            return due
        k += 1


def scheduled_dates(start, months, last):
    """Every due date of the schedule (start + k × months) up to `last`."""
    dates, k = [], 1
    while True:
        due = add_months(start, months * k)
        if due > last:
            return dates
        dates.append(due)
        k += 1


def next_due(start, end, months, answered, sides_needed):
    """The earliest due date not answered by every side, from `answered` ((due_on, side) pairs): the first
    unanswered date of the schedule, or an earlier half-answered date off it (the cadence was amended)."""
    sides = {}
    for due_on, side in answered:
        sides.setdefault(due_on, set()).add(side)
    complete = {d for d, s in sides.items() if len(s) == sides_needed}
    first = next_scheduled_due(start, end, months, complete)
    return min([d for d in (first, *sides) if d is not None and d not in complete], default=None)
