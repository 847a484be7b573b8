"""What a calendar shows, as iCalendar (RFC 5545) all-day events with stable UIDs.

Every event has one UID for its subject and kind (`tour-123-end@<host>`), never for its date: when a date
moves (a check-in answered, an amendment), the calendar app moves the event instead of adding a second one.
A person's feed holds, from a month ago to a year ahead:
- their tours' and their people's (Tour.objects.visible_to: a manager's whole subtree) check-ins due, start and
  end dates and next-tour conversations;
- for HR, the company's deadlines: every agreed tour's end and next-tour conversation;
- the networking events they attend.
A fixed number of queries whatever the company's size (one per kind, each capped at CALENDAR_FEED_CAP rows on
an index: tours' (state, checkin_due_on), (state, end_date), (state, next_tour_on)); the feed then keeps the
CALENDAR_FEED_CAP soonest events.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vText, vUri

from alliance import tree
from alliance.models import Employee
from alliance.paths import path_for
from alliance.roles import roles_of
from networks.models import Event
from tours.models import Tour

PAST = datetime.timedelta(days=31)
AHEAD = datetime.timedelta(days=365)
TOUR_FIELDS = (
    "pk",
    "title",
    "state",
    "start_date",
    "end_date",
    "checkin_due_on",
    "next_tour_on",
    "employee__first_name",
    "employee__last_name",
)


@dataclass(frozen=True)
class Item:
    uid: str
    day: datetime.date
    summary: str
    url: str


def host():
    return urlsplit(settings.SITE_URL).hostname or "alliance"


def _tour_item(row, kind, day):
    name = f"{row['employee__first_name']} {row['employee__last_name']}"
    label = {
        "checkin": "Check-in due",
        "start": "Tour starts",
        "end": "Tour ends",
        "next-tour": "Next-tour conversation due",
    }[kind]
    return Item(
        uid=f"tour-{row['pk']}-{kind}@{host()}",
        day=day,
        summary=f"{label}: {row['title']} ({name})",
        url=path_for("tours:detail", row["pk"]),
    )


def tour_items(row, window=None):
    """The dated events of one tour (a row of TOUR_FIELDS), within `window` if given."""
    items = []
    if row["state"] in (Tour.State.PROPOSED, Tour.State.AGREED, Tour.State.COMPLETED):
        items.append(_tour_item(row, "start", row["start_date"]))
        if row["end_date"]:
            items.append(_tour_item(row, "end", row["end_date"]))
    if row["state"] == Tour.State.AGREED:
        if row["checkin_due_on"]:
            items.append(_tour_item(row, "checkin", row["checkin_due_on"]))
        if row["next_tour_on"]:
            items.append(_tour_item(row, "next-tour", row["next_tour_on"]))
    if window:
        items = [i for i in items if window[0] <= i.day <= window[1]]
    return items


def event_item(event):
    return Item(
        uid=f"event-{event['pk']}@{host()}",
        day=event["date"],
        summary=event["title"] + (f" ({event['place']})" if event["place"] else ""),
        url=path_for("networks:event", event["pk"]),
    )


def items_for(user, today=None):
    """Everything in this person's feed, soonest first, at most CALENDAR_FEED_CAP events."""
    today = today or timezone.localdate()
    start, end = today - PAST, today + AHEAD
    cap = settings.CALENDAR_FEED_CAP
    roles = roles_of(user)
    visible = Tour.objects.visible_to(user)  # the pages' scope (tours.access)
    me = roles.employee
    # HR sees every tour, but their calendar holds the check-ins and starts of their own line only, and the
    # company's ends and next-tour conversations (its deadlines); anyone else's holds all of what they see.
    mine = visible
    if roles.hr:
        mine = visible.filter(employee__in=tree.self_and_subtree(Employee.objects.all(), me)) if me else visible.none()
    queries = [
        (mine.filter(state=Tour.State.AGREED, checkin_due_on__range=(start, end)), "checkin_due_on"),
        (
            mine.filter(state__in=[Tour.State.PROPOSED, Tour.State.AGREED, Tour.State.COMPLETED]).filter(
                start_date__range=(start, end)
            ),
            "start_date",
        ),  # fmt: skip
        (
            visible.filter(state__in=[Tour.State.PROPOSED, Tour.State.AGREED, Tour.State.COMPLETED]).filter(
                end_date__range=(start, end)
            ),
            "end_date",
        ),  # fmt: skip
        (visible.filter(state=Tour.State.AGREED, next_tour_on__range=(start, end)), "next_tour_on"),
    ]
    kinds = {"checkin_due_on": "checkin", "start_date": "start", "end_date": "end", "next_tour_on": "next-tour"}
    items = []
    for queryset, field in queries:
        for row in queryset.order_by(field, "pk").values(*TOUR_FIELDS)[:cap]:
            items.append(_tour_item(row, kinds[field], row[field]))
    if me is not None:
        events = Event.objects.filter(attendances__employee=me, date__range=(start, end))
        items.extend(event_item(e) for e in events.order_by("date", "pk").values("pk", "title", "place", "date")[:cap])
    items.sort(key=lambda item: (item.day, item.uid))
    return items[:cap]


def ics(items, *, name):
    """The calendar file: all-day events, each with its stable UID and DTSTAMP (the moment the file was made).

    icalendar writes the calendar and escapes and folds each event's text; the events' fixed lines are written
    here, because building 2,000 icalendar Event objects took 850 ms and this takes a tenth of that
    (tests/calendars/test_calendars.py checks that icalendar reads back exactly what it would have written)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Alliance//Tours of duty//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    head, tail = calendar.to_ical().split(b"END:VCALENDAR")
    stamp = f"{timezone.now().astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    site = settings.SITE_URL.rstrip("/")
    events = "".join(_vevent(item, stamp, site) for item in items)
    return head + events.encode() + b"END:VCALENDAR" + tail


def _line(name, value):
    """One content line, escaped and folded at 75 octets by icalendar."""
    return Contentline.from_parts(name, Parameters(), value).to_ical().decode() + "\r\n"


def _short(name, value, kind):
    """A UID or URL (ASCII, nothing to escape) as it is when it fits on a line; otherwise through icalendar."""
    line = f"{name}:{value}"
    return f"{line}\r\n" if len(line) <= 75 and line.isascii() else _line(name, kind(value))


def _vevent(item, stamp, site):
    return (
        "BEGIN:VEVENT\r\n"
        + _short("UID", item.uid, vText)
        + f"DTSTAMP:{stamp}\r\n"
        + f"DTSTART;VALUE=DATE:{item.day:%Y%m%d}\r\n"
        + f"DTEND;VALUE=DATE:{item.day + datetime.timedelta(days=1):%Y%m%d}\r\n"
        + _line("SUMMARY", vText(item.summary))
        + _short("URL", site + item.url, vUri)
        + "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"
    )
