"""{% calendar_feed_urls as feed %} for the account page's calendar section: the person's feed link (https and
webcal://) or None."""

from django import template
from django.conf import settings
from django.urls import reverse

from calendars.models import CalendarFeed

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed_urls(context):
    row = CalendarFeed.objects.filter(user=context["request"].user).first()
    if row is None:
        return None
    url = settings.SITE_URL.rstrip("/") + reverse("calendars:feed", args=[row.secret])
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1], "created_at": row.created_at}
