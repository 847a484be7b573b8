"""Tell a person something: a line in their in-app list and, if asked, an email.

Every app calls `notify()`; nothing else writes Notification rows or sends these emails. The email
leaves only when the surrounding transaction commits, so a rolled-back action never mails anyone.
"""

import threading
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from alliance.models import Notification

_state = threading.local()


@contextmanager
def muted():
    """No notifications inside this block: for demo data, which replays a company's history."""
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = False


def notify(*, user, message, url="", email_subject=None):
    """Record a notification for `user`; with `email_subject`, also email them the message and link."""
    if getattr(_state, "muted", False):
        return None
    notification = Notification.objects.create(user=user, message=message[:300], url=url)
    if email_subject and user.email and user.is_active:
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL
        body = f"{message}\n\n{link}\n\n— Alliance"
        subject = " ".join(email_subject.split())  # one line: user text (a tour title) may hold line breaks
        transaction.on_commit(partial(send_mail, subject, body, None, [user.email], fail_silently=False))
    return notification
