"""A person's calendar feed: a secret URL their calendar app subscribes to (calendars.views.feed).

The URL's secret is a random key (stored, for the lookup) followed by an HMAC of it under SECRET_KEY (never
stored): the table alone opens no feed, and the page can show the person their link again. Resetting the link
draws a new key (the old URL answers 404); turning the feed off deletes the row.
"""

import re
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

KEY_LENGTH = 22  # secrets.token_urlsafe(16)
KEY = re.compile(rf"[A-Za-z0-9_-]{{{KEY_LENGTH}}}")  # its alphabet
SALT = "calendars.CalendarFeed"


def new_key():
    return secrets.token_urlsafe(16)


def signature(key):
    return salted_hmac(SALT, key, algorithm="sha256").hexdigest()[:32]


class CalendarFeedQuerySet(models.QuerySet):
    def for_secret(self, secret):
        """The feed this URL secret opens, with its user, or None (unknown, reset, or tampered: all alike)."""
        key, sig = secret[:KEY_LENGTH], secret[KEY_LENGTH:]
        if not KEY.fullmatch(key) or not sig:  # not looked up: a NUL in a query fails on PostgreSQL
            return None
        feed = self.select_related("user").filter(key=key).first()
        if feed is None or not constant_time_compare(sig, signature(key)):
            return None
        return feed


class CalendarFeed(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=KEY_LENGTH, unique=True, default=new_key)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @property
    def secret(self):
        return f"{self.key}{signature(self.key)}"
