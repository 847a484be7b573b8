"""Tell a person something: a line in their in-app list and, if asked, an email.

Every app calls `notify()`; nothing else writes Notification rows or sends these emails (the person marks
them read through notification_read / notifications_read_all). The email
is handed to the background worker when the surrounding transaction commits (alliance.mail), so a
rolled-back action never mails anyone and a mail server that is down never fails the action.

Whether the email goes now is the person's choice (`User.mail`, on their account page): "immediate" mails each
notification at once; "daily" and "weekly" (the default) fold it into their digest (tours.digest, sent by
`send_digests`); "off" mails nothing but what needs an action today. A notification that needs an action today
(a tour to sign: `now=True`) is mailed at once whatever the choice.
"""

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from alliance.mail import email_later
from alliance.models import Employee, Notification, User

_state = threading.local()


@contextmanager
def muted():
    """No notifications inside this block: for demo data, which replays a company's history."""
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = False


def mails_now(user, *, now=False):
    """Whether a notification with an email subject is mailed to this user at once (else their digest has it)."""
    return bool(user.email and user.is_active and (now or user.mail == User.Mail.IMMEDIATE))


def notify(*, user, message, url="", email_subject=None, now=False, kind=""):
    """Record a notification for `user`; with `email_subject`, also email them the message and link: at once if
    it needs an action today (`now`) or they asked for every email, else in their digest (see the module's
    docstring). `kind` "reminder" marks a time-based reminder, which the digest lists as an item of its own."""
    if getattr(_state, "muted", False):
        return None
    mailed = bool(email_subject) and mails_now(user, now=now)
    notification = Notification.objects.create(user=user, message=message[:300], url=url, kind=kind, mailed=mailed)
    if mailed:
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL
        body = f"{message}\n\n{link}\n\n— Alliance"
        email_later(subject=email_subject, body=body, to=[user.email])
    return notification


def hr_people():
    """The users HR work reaches, as alliance.roles.holds_hr decides: active accounts holding the HR permission
    (superusers hold every permission) of people employed today, or with no employee record at all (an HR
    account that is not a person in the company's tree: it still holds HR, so it is told too)."""
    holds = (
        Q(groups__permissions__codename="hr", groups__permissions__content_type__app_label="alliance")
        | Q(user_permissions__codename="hr", user_permissions__content_type__app_label="alliance")
        | Q(is_superuser=True)
    )
    employed = Q(employee__isnull=True) | Q(employee__in=Employee.objects.active())
    return User.objects.filter(holds, employed, is_active=True).distinct()


def notify_hr(*, message, url="", email_subject=None, actor=None, now=False):
    """Tell every HR person something HR acts on (a referral, a departure a manager recorded), but not the actor.
    Their email follows each one's preference (notify), unless it needs an action today (`now`)."""
    for user in hr_people().exclude(pk=getattr(actor, "pk", None)):
        notify(user=user, message=message, url=url, email_subject=email_subject, now=now)


def notification_read(*, notification):
    """The person opened it. Only an unread one is written, so opening it again keeps the first time."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user):
    """Mark every unread notification of this person read, in one UPDATE; returns how many."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
