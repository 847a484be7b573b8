"""Calendar feeds and "Add to calendar" files.

- /calendar/<secret>.ics: a person's feed, for their calendar app (no sign-in: the secret URL is the key;
  calendars.access decides whose it is and whether it still opens).
- /calendar/link/: the person makes, resets or turns off their link (employees and HR; from their account page).
- /calendar/tour/<id>.ics and /calendar/event/<id>.ics: one tour's dates or one event, for whoever may open its
  page (tours.access, networks.access), with the same UIDs as the feed.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST, require_safe

from alliance import access as people_access
from calendars import access, feed
from calendars.models import CalendarFeed, new_key
from networks import access as network_access
from tours.access import get_tour_for_user

logger = logging.getLogger(__name__)


def _calendar_response(body, filename=None):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe  # GET, and HEAD for calendar apps that ask first
def feed_view(request, secret):
    """Anyone with the link: the owner's feed (404 once reset, turned off or the owner has left)."""
    owner = access.get_feed_owner(secret)
    return _calendar_response(feed.ics(feed.items_for(owner), name="Alliance"))


@login_required
@require_POST
@people_access.require("employee", "hr")
def link(request):
    """Make the link (first time), reset it (the old one stops working) or turn the feed off."""
    action = request.POST.get("action")
    if action == "off":
        CalendarFeed.objects.filter(user=request.user).delete()
        messages.success(request, "Your calendar feed is off: its link no longer works.")
    elif action == "reset" and CalendarFeed.objects.filter(user=request.user).update(key=new_key()):
        messages.success(
            request, "Your calendar link is reset: the old one no longer works; subscribe again with the new one."
        )
    else:  # make it; a second click (or a reset with none) keeps the link just made
        CalendarFeed.objects.get_or_create(user=request.user)
        messages.success(request, "Your calendar link is ready: subscribe to it in your calendar app.")
        action = "create"
    # What was done, never the posted text (a line break in it would forge a line of the log).
    logger.info("Calendar feed of user %s: %s", request.user.pk, action)
    return redirect("account")


@require_GET
@people_access.require("employee", "hr")
def tour_ics(request, pk):
    """The tour's dates (start, end, check-in due, next-tour conversation) for whoever may open the tour."""
    tour = get_tour_for_user(request.user, pk)
    row = {
        "pk": tour.pk,
        "title": tour.title,
        "state": tour.state,
        "start_date": tour.start_date,
        "end_date": tour.end_date,
        "checkin_due_on": tour.checkin_due_on,
        "next_tour_on": tour.next_tour_on,
        "employee__first_name": tour.employee.first_name,
        "employee__last_name": tour.employee.last_name,
    }
    items = sorted(feed.tour_items(row), key=lambda item: item.day)
    return _calendar_response(feed.ics(items, name=tour.title), f"tour-{tour.pk}-{slugify(tour.title)[:40]}.ics")


@require_GET
@people_access.require("employee", "hr", message=network_access.EMPLOYEES_AND_HR)
def event_ics(request, pk):
    """One networking event, for whoever may open its page."""
    event = network_access.get_event_for_user(request.user, pk)
    item = feed.event_item({"pk": event.pk, "title": event.title, "place": event.place, "date": event.date})
    return _calendar_response(feed.ics([item], name=event.title), f"event-{event.pk}-{slugify(event.title)[:40]}.ics")
