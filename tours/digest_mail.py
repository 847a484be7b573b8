"""Sending the digests: `manage.py send_digests`, run daily by cron next to send_reminders.

A person who chose "daily" gets at most one digest a day, "weekly" (the default) at most one an ISO week (the first
run of the week sends it: Monday's, when cron runs it daily); "immediate" and "off" get none. Each one sent is a
DigestSent row, unique per person and period, written in the transaction that queues its email (alliance.mail), so
a rerun, or two runs at the same moment, send nothing twice. An empty digest is not sent (nor recorded, so a
digest that has something later in the week still goes). People are taken CHUNK at a time: a chunk costs the
same handful of queries (tours.digest.digests_for) whatever its size.
"""

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from alliance.background import DigestSent
from alliance.mail import emails_later
from alliance.models import User
from tours.digest import digests_for

CHUNK = 200
PERIOD_DAYS = {User.Mail.DAILY: 1, User.Mail.WEEKLY: 7}
# A person's last DigestSent is where their next digest's news starts; older rows only say a period is done. Rows
# older than this go at the end of each run (a person without a digest that long starts from the period again).
KEPT = datetime.timedelta(days=35)


def period_of(mail, today):
    """The period a digest counts in: a day for "daily", an ISO week for "weekly"."""
    if mail == User.Mail.DAILY:
        return f"day:{today.isoformat()}"
    year, week, _ = today.isocalendar()
    return f"week:{year}-W{week:02d}"


def render(digest, *, mail):
    """(subject, text, html) of one digest: the same template as the notification centre's list of items."""
    site = settings.SITE_URL.rstrip("/")
    context = {
        "digest": digest,
        "base": site,
        "when": "today" if mail == User.Mail.DAILY else "this week",
        "name": getattr(getattr(digest.user, "employee", None), "first_name", ""),
        "notifications_url": f"{site}{reverse('notifications')}",
        "account_url": f"{site}{reverse('account')}",
    }
    things = digest.item_count + digest.news_total
    every = "daily" if mail == User.Mail.DAILY else "weekly"
    subject = f"Your Alliance {every} digest: {things} item{'s' if things != 1 else ''}"
    text = loader.render_to_string("tours/digest_email.txt", context)
    html = loader.render_to_string("tours/digest_email.html", context)
    return subject, text, html


def send_digests(today=None, *, now=None):
    """Send the digests due today that were not sent yet; returns how many went."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    claim = uuid.uuid4().hex
    people = list(
        User.objects.filter(is_active=True, mail__in=list(PERIOD_DAYS))
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "mail")
    )
    sent = 0
    for start in range(0, len(people), CHUNK):
        sent += _send_chunk(dict(people[start : start + CHUNK]), today=today, now=now, claim=claim)
    DigestSent.objects.filter(sent_at__lt=now - KEPT).delete()
    return sent


def _send_chunk(mails, *, today, now, claim):
    periods = {pk: period_of(mail, today) for pk, mail in mails.items()}
    done = set(
        DigestSent.objects.filter(user_id__in=list(mails), period__in=set(periods.values())).values_list(
            "user_id", "period"
        )
    )
    todo = [pk for pk in mails if (pk, periods[pk]) not in done]
    if not todo:
        return 0
    last = dict(
        DigestSent.objects.filter(user_id__in=todo)
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    since = {pk: last.get(pk) or now - datetime.timedelta(days=PERIOD_DAYS[mails[pk]]) for pk in todo}
    users = User.objects.filter(pk__in=todo).select_related("employee").order_by("pk")
    digests = [d for d in digests_for(users, today=today, since=since) if d]
    if not digests:
        return 0
    with transaction.atomic():
        # Claim first: a row another run wrote meanwhile is kept (ignore_conflicts), and only ours are sent.
        DigestSent.objects.bulk_create(
            [DigestSent(user=d.user, period=periods[d.user.pk], claim=claim, sent_at=now) for d in digests],
            ignore_conflicts=True,
        )
        ours = set(
            DigestSent.objects.filter(claim=claim, user_id__in=[d.user.pk for d in digests]).values_list(
                "user_id", flat=True
            )
        )
        messages = []
        for digest in digests:
            if digest.user.pk in ours:
                subject, text, html = render(digest, mail=mails[digest.user.pk])
                messages.append({"subject": subject, "body": text, "html": html, "to": [digest.user.email]})
        if messages:
            emails_later(messages)
    return len(messages)
