"""Calendar feeds: a secret, revocable ICS link per person, with the dates the pages show them and nothing more;
"Add to calendar" files for a tour and an event; stable UIDs."""

import datetime
import logging

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as VEvent

from calendars import feed
from calendars.models import CalendarFeed
from networks.models import Attendance, Event
from portal.privacy import erase
from tests.factories import EmployeeFactory, make_tour
from tours import services as tour_services

TODAY = datetime.date.today()
AGO_100 = TODAY - datetime.timedelta(days=100)


def feed_path(user):
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return reverse("calendars:feed", args=[feed.secret])


def events_of(response):
    """{uid: (date, summary)} of a calendar response."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {}
    for event in calendar.walk("VEVENT"):
        assert event.get("dtstamp") is not None
        events[str(event["uid"])] = (event.decoded("dtstart"), str(event["summary"]))
    return events


def agreed(employee, *, short=False):
    """Agreed and started 100 days ago; `short`: a year long, so its end and next-tour conversation fall in the feed."""
    end = AGO_100 + datetime.timedelta(days=365) if short else None
    return make_tour(employee, state="agreed", start=AGO_100, end=end)


def test_an_employee_makes_resets_and_turns_off_their_link(cast, client_for):
    client = client_for("report_report")
    assert "Make my calendar link" in client.get(reverse("account")).text
    response = client.post(reverse("calendars:link"), {"action": "create"})
    assert response.status_code == 302 and response["Location"] == reverse("account")
    feed = CalendarFeed.objects.get(user=cast.report_report.user)
    page = client.get(reverse("account")).text
    first = reverse("calendars:feed", args=[feed.secret])
    assert first in page and "webcal://" in page and "Google Calendar" in page and "Outlook" in page and "Apple" in page
    assert feed.secret[22:] not in str(list(CalendarFeed.objects.values_list()))  # the key is stored, never the HMAC
    anonymous = client_for("anonymous")
    assert anonymous.get(first).status_code == 200
    client = client_for("report_report")
    client.post(reverse("calendars:link"), {"action": "create"})  # a second click keeps the link
    assert client.get(first).status_code == 200
    client.post(reverse("calendars:link"), {"action": "reset"})
    feed.refresh_from_db()
    second = reverse("calendars:feed", args=[feed.secret])
    assert second != first
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    client.post(reverse("calendars:link"), {"action": "off"})
    assert not CalendarFeed.objects.exists()
    assert client.get(second).status_code == 404


def test_a_tampered_or_unknown_secret_is_not_found(cast, client):
    secret = CalendarFeed.objects.create(user=cast.report.user).secret
    for wrong in [secret[:-1] + ("0" if secret[-1] != "0" else "1"), secret[:22], "x" * 54, "x" * 5000, "a"]:
        assert client.get(reverse("calendars:feed", args=[wrong])).status_code == 404, wrong
    assert client.get(reverse("calendars:feed", args=[secret])).status_code == 200
    assert client.head(reverse("calendars:feed", args=[secret])).status_code == 200  # calendar apps may ask first
    assert client.post(reverse("calendars:feed", args=[secret])).status_code == 405


def test_a_key_that_no_link_could_hold_is_not_found_without_a_query(cast, client):
    """A NUL in a query fails on PostgreSQL (a 500 for anyone, signed in or not): a key outside the links' alphabet
    is not looked up at all."""
    secret = CalendarFeed.objects.create(user=cast.report.user).secret
    for key in ["\x00" * 22, secret[:21] + "\x00", secret[:21] + "é", secret[:21] + "."]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("calendars:feed", args=[key + secret[22:]])).status_code == 404, key
        assert queries.captured_queries == [], key


def test_the_feed_holds_their_dates_with_stable_uids(cast, client):
    tour = agreed(cast.report_report, short=True)
    path = feed_path(cast.report_report.user)
    events = events_of(client.get(path))
    uid = f"tour-{tour.pk}-checkin@localhost"
    assert events[uid][0] == tour.checkin_due_on
    assert events[f"tour-{tour.pk}-end@localhost"][0] == tour.end_date
    assert events[f"tour-{tour.pk}-next-tour@localhost"][0] == tour.next_tour_on
    assert f"tour-{tour.pk}-start@localhost" not in events  # 100 days ago: before the month the feed looks back
    assert events[uid][1] == f"Check-in due: Grow the platform team ({cast.report_report.full_name})"
    # Both sides check in: the check-in moves to its next date under the same UID (the calendar moves it).
    due = tour.checkin_due_on
    for user in (cast.report_report.user, cast.report.user):
        tour_services.tour_check_in(
            tour=tour, user=user, due_on=due, other_side_keeping="yes", note="", progress=[]
        )  # fmt: skip
    tour.refresh_from_db()
    assert tour.checkin_due_on > due
    assert events_of(client.get(path))[uid][0] == tour.checkin_due_on


def test_a_managers_feed_covers_their_people_and_no_one_else(cast, client):
    below = agreed(cast.report_report)
    elsewhere = agreed(EmployeeFactory(manager=cast.other))
    manager = events_of(client.get(feed_path(cast.manager.user)))
    assert f"tour-{below.pk}-checkin@localhost" in manager
    assert not any(f"tour-{elsewhere.pk}-" in uid for uid in manager)
    own = events_of(client.get(feed_path(cast.report_report.user)))
    assert f"tour-{below.pk}-checkin@localhost" in own
    assert events_of(client.get(feed_path(cast.other.user))).keys() == {
        f"tour-{elsewhere.pk}-checkin@localhost",
    }


def test_hrs_feed_holds_the_companys_deadlines(cast, client):
    tour = agreed(EmployeeFactory(manager=cast.other), short=True)
    hr = events_of(client.get(feed_path(cast.hr.user)))
    assert {f"tour-{tour.pk}-end@localhost", f"tour-{tour.pk}-next-tour@localhost"} <= hr.keys()
    assert f"tour-{tour.pk}-checkin@localhost" not in hr  # another line's check-ins are theirs and their manager's


def test_the_events_they_attend(cast, client):
    event = Event.objects.create(
        title="Meetup", place="Berlin", date=TODAY + datetime.timedelta(days=9), created_by=cast.hr.user
    )
    Event.objects.create(title="Elsewhere", date=TODAY, created_by=cast.hr.user)
    Attendance.objects.create(event=event, employee=cast.report)
    events = events_of(client.get(feed_path(cast.report.user)))
    assert events[f"event-{event.pk}@localhost"] == (event.date, "Meetup (Berlin)")
    assert len([uid for uid in events if uid.startswith("event-")]) == 1


def test_a_departed_persons_feed_is_gone_and_alumni_make_none(cast, client_for):
    path = feed_path(cast.alumnus.user)
    assert client_for("anonymous").get(path).status_code == 404
    assert client_for("alumnus").post(reverse("calendars:link"), {"action": "create"}).status_code == 403
    assert "Calendar feed" not in client_for("alumnus").get(reverse("account")).text
    assert client_for("anonymous").post(reverse("calendars:link"), {"action": "create"}).status_code == 302
    assert client_for("report").get(reverse("calendars:link")).status_code == 405


@override_settings(CALENDAR_FEED_CAP=3)
def test_a_feed_keeps_the_soonest_events_up_to_the_cap(cast, client):
    for person in (cast.report, cast.report_report):
        agreed(person, short=True)
    events = events_of(client.get(feed_path(cast.manager.user)))
    assert len(events) == 3
    assert sorted(day for day, _ in events.values())[-1] <= TODAY + datetime.timedelta(days=200)


def test_the_feed_costs_the_same_queries_for_3_and_15_people(cast, client):
    path = feed_path(cast.hr.user)
    counts = []
    for n in (3, 12):
        for _ in range(n):
            agreed(EmployeeFactory(manager=cast.hr), short=True)
        with CaptureQueriesContext(connection) as captured:
            events = events_of(client.get(path))
        counts.append(len(captured))
    assert len(events) == 3 * 15 + 0  # each of HR's 15 people: check-in, end, next-tour conversation
    # The feed with its user; the person, HR permission (2); four tour queries; the events attended.
    assert counts[0] == counts[1] <= 9, counts


def test_add_to_calendar_for_a_tour_and_an_event(cast, client_for):
    tour = agreed(cast.report_report, short=True)
    url = reverse("calendars:tour", args=[tour.pk])
    for role in ("report_report", "report", "manager", "hr"):
        client = client_for(role)
        assert "Add to calendar" in client.get(tour.get_absolute_url()).text
        response = client.get(url)
        assert f"tour-{tour.pk}-end@localhost" in events_of(response), role
        assert response["Content-Disposition"].startswith(f'attachment; filename="tour-{tour.pk}-')
    assert client_for("other").get(url).status_code == 404
    assert client_for("alumnus").get(url).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302
    event = Event.objects.create(title="Meetup", date=TODAY, created_by=cast.hr.user)
    event_url = reverse("calendars:event", args=[event.pk])
    assert "Add to calendar" in client_for("other").get(event.get_absolute_url()).text
    assert events_of(client_for("other").get(event_url)) == {f"event-{event.pk}@localhost": (TODAY, "Meetup")}
    assert client_for("alumnus").get(event_url).status_code == 403
    assert client_for("other").get(reverse("calendars:event", args=[event.pk + 9])).status_code == 404


@pytest.mark.parametrize("action", ["create", "reset", "", "bogus"])
def test_any_action_value_makes_or_resets_the_link_never_a_500(cast, client_for, action):
    assert client_for("other").post(reverse("calendars:link"), {"action": action}).status_code == 302
    assert CalendarFeed.objects.filter(user=cast.other.user).count() == 1


def test_the_log_says_what_was_done_not_what_was_typed(cast, client_for, caplog):
    """The action is the person's text: logged as it came, a line break in it would write a line of its own."""
    caplog.set_level(logging.INFO, logger="calendars.views")
    client = client_for("other")
    client.post(reverse("calendars:link"), {"action": "x\nERROR Calendar feed of user 1: off"})
    client.post(reverse("calendars:link"), {"action": "reset"})
    client.post(reverse("calendars:link"), {"action": "off"})
    uid = cast.other.user.pk
    assert [r.getMessage() for r in caplog.records if r.name == "calendars.views"] == [
        f"Calendar feed of user {uid}: create",
        f"Calendar feed of user {uid}: reset",
        f"Calendar feed of user {uid}: off",
    ]


def test_erasure_deletes_her_feed(cast):
    CalendarFeed.objects.create(user=cast.alumnus.user)
    CalendarFeed.objects.create(user=cast.report.user)
    erase(cast.alumnus)
    assert list(CalendarFeed.objects.values_list("user", flat=True)) == [cast.report.user.pk]


@override_settings(SITE_URL="https://alliance.a-rather-long-host-name-for-the-company.example.com")
def test_the_file_reads_back_as_icalendar_itself_would_write_it():
    """calendars.feed writes the events' lines itself (fast); icalendar reads back exactly what it would have
    written: escaped text (commas, semicolons, backslashes, line breaks, accents), folded lines, dates, UIDs."""
    day = datetime.date(2027, 1, 31)
    tricky = "Ship it, then; rest \\ and\nbreathe: Émile Zoë-Ångström " + "x" * 150
    items = [
        feed.Item(
            uid="tour-7-end@alliance.a-rather-long-host-name-for-the-company.example.com",
            day=day,
            summary=tricky,
            url="/tours/7/",
        ),  # fmt: skip
        feed.Item(uid="event-1@h", day=day, summary="Meetup (Berlin)", url="/networks/events/1/"),
    ]
    body = feed.ics(items, name="Alliance")
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "every line folded at 75 octets"
    expected = Calendar()
    for item in items:
        event = VEvent()
        event.add("uid", item.uid)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + datetime.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("url", "https://alliance.a-rather-long-host-name-for-the-company.example.com" + item.url)
        expected.add_component(event)
    fields = ("uid", "dtstart", "dtend", "summary", "url")
    read = [{f: e.decoded(f) for f in fields} for e in Calendar.from_ical(body).walk("VEVENT")]
    wanted = [{f: e.decoded(f) for f in fields} for e in Calendar.from_ical(expected.to_ical()).walk("VEVENT")]
    assert read == wanted
    assert read[0]["summary"] == tricky
