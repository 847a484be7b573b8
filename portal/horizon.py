"""The horizon: a manager's people (HR: the company, by department) laid out ahead in time. Tours that need a
next-tour decision (ending within 90 days, or their next-tour conversation due with no next tour drafted) on a
time line drawn as server-side SVG with the same rows as a table; people without a tour in force; alumni who
would come back. It shows tours and alumni together, so it lives here, above both apps.

Bounded for 10,000 people: the time line pages by 25 (its SVG draws the page's rows, as its table does), the
two lists show their first 25 with the count, and the department summary is two grouped queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from alliance.models import Employee
from alliance.pagination import CappedPaginator
from alumni.models import AlumniProfile
from tours import access as tour_access
from tours.models import Tour
from tours.reports import covered_on

WINDOW_DAYS = 90  # "ending soon" on the horizon, and the line drawn across the chart
SPAN_DAYS = 180  # the chart's width: today and the six months ahead
PAGE_SIZE = 25
LIST_SIZE = 25

# The chart's geometry, in the SVG's own units (viewBox 300 wide): names on the left, the six months on the right.
LEFT, WIDTH, ROW, TOP = 70, 215, 9, 12


def needs_decision(today):
    """An agreed tour (a condition on Tour) ending within WINDOW_DAYS, or whose next-tour conversation is due while
    no next tour is even drafted: the rows of the time line."""
    no_successor = ~Exists(Tour.objects.filter(predecessor=OuterRef("pk")))
    ending = Q(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=WINDOW_DAYS))
    conversation = Q(next_tour_on__lte=today, end_date__gte=today) & no_successor
    return Q(state=Tour.State.AGREED) & (ending | conversation)


def _of(tours, people):
    """Narrowed to `people`; None is HR's whole company, with no semi-join (the indexes serve the filter alone)."""
    return tours if people is None else tours.filter(employee__in=people)


def timeline_tours(people, today):
    successor = Tour.objects.filter(predecessor=OuterRef("pk")).order_by("pk")
    return (
        _of(Tour.objects.filter(needs_decision(today)), people)
        .select_related("employee__manager", "employee__team")
        .annotate(
            successor_id=Subquery(successor.values("pk")[:1]), successor_state=Subquery(successor.values("state")[:1])
        )
        .order_by("end_date", "pk")
    )


@dataclass
class Row:
    tour: Tour
    y: int
    bar_x: float
    bar_width: float
    talk_x: float | None  # the next-tour conversation's mark, when it falls on the chart
    talk_due: bool  # the conversation's date has come
    may_plan: bool  # the viewer may start the next tour from here (tours.access "plan_next")


def _x(day, today):
    return round(LEFT + WIDTH * max(0, min(SPAN_DAYS, (day - today).days)) / SPAN_DAYS, 1)


def chart_rows(tours, user, today):
    rows = []
    for i, tour in enumerate(tours):
        start = _x(max(tour.start_date, today), today)
        talk = tour.next_tour_on
        rows.append(
            Row(
                tour=tour,
                y=TOP + ROW * i,
                bar_x=start,
                bar_width=max(1.0, round(_x(tour.end_date, today) - start, 1)),
                talk_x=_x(talk, today) if talk and talk <= today + datetime.timedelta(days=SPAN_DAYS) else None,
                talk_due=bool(talk and talk <= today),
                may_plan=tour.successor_id is None and tour_access.can(user, tour, "plan_next"),
            )
        )
    return rows


def ticks(today):
    """The chart's month marks: (x, label) every 30 days, and the WINDOW_DAYS line."""
    return [
        (_x(today + datetime.timedelta(days=d), today), "Today" if d == 0 else f"+{d} d")
        for d in range(0, SPAN_DAYS + 1, 30)
    ]


def without_tour(people, today):
    """Active people in scope with no agreed tour in force (the coverage report's definition)."""
    people = Employee.objects.all() if people is None else people
    return (
        people.active(today)
        .exclude(covered_on(today))
        .select_related("team", "manager")
        .order_by("last_name", "first_name", "pk")
    )


def returning_alumni(user, people, hr):
    """HR: alumni HR marked eligible for rehire ("would rehire") who say they are open to returning. Rehire
    eligibility is HR's alone (README, Alumni), so a manager sees instead the alumni from their part of the
    company who are listed in the directory as open to returning: only what those alumni chose to show."""
    profiles = AlumniProfile.objects.departed().filter(open_to_returning=True)
    if people is not None:
        profiles = profiles.filter(employee__in=people)
    if hr:
        profiles = profiles.filter(employee__departures__is_current=True, employee__departures__rehire_eligible=True)
    else:
        profiles = profiles.visible_to(user).in_directory()
    return profiles.select_related("employee__team").order_by("-updated_at", "pk")


def by_department(people, today):
    """HR's summary per department (team): tours needing a decision and people without a tour in force, as
    (team id, name, tours, people), by name. Two grouped queries."""
    missing = without_tour(people, today).order_by().values_list("team", "team__name").annotate(n=Count("pk"))
    tours = _of(Tour.objects.filter(needs_decision(today)), people).order_by()
    deciding = tours.values_list("employee__team", "employee__team__name").annotate(n=Count("pk"))
    rows = {}
    for column, grouped in ((0, deciding), (1, missing)):
        for team, name, n in grouped:
            rows.setdefault(team, [name or "(no team)", 0, 0])[1 + column] = n
    return sorted(((team, *row) for team, row in rows.items()), key=lambda row: (row[0] is None, row[1]))


def horizon(user, people, *, hr, page_number, today=None):
    today = today or timezone.localdate()
    page = CappedPaginator(timeline_tours(people, today), PAGE_SIZE).get_page(page_number)
    rows = chart_rows(page.object_list, user, today)
    missing = without_tour(people, today)
    alumni = returning_alumni(user, people, hr)
    return {
        "today": today,
        "window": WINDOW_DAYS,
        "page": page,
        "rows": rows,
        "ticks": ticks(today),
        "window_x": _x(today + datetime.timedelta(days=WINDOW_DAYS), today),
        "chart_height": TOP + ROW * len(rows) + 2,
        "without_tour": list(missing[:LIST_SIZE]),
        "without_tour_count": missing.count(),
        "alumni": list(alumni[:LIST_SIZE]),
        "alumni_count": alumni.count(),
    }
