"""Who a calendar feed is for, and which tours and events go in it: the same rules as the pages.

A feed opens without a sign-in (calendar apps cannot sign in), so its secret URL stands for its owner, and only
while the owner could open the pages: employed today, or HR. A departed person's feed, a reset link and a
tampered one are all 404. What goes in is Tour.objects.visible_to(owner) (tours.access's scope) and the owner's
own events, so a manager's feed shows only what the manager may see on the pages."""

from django.http import Http404

from alliance.roles import roles_of
from calendars.models import CalendarFeed


def may_have_feed(user):
    roles = roles_of(user)
    return bool(user.is_active and (roles.employee or roles.hr))


def get_feed_owner(secret):
    """The user whose feed this secret opens, or 404."""
    feed = CalendarFeed.objects.for_secret(secret)
    if feed is None or not may_have_feed(feed.user):
        raise Http404("No such calendar.")
    return feed.user
