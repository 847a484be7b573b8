"""The demo's sign-in log: a few days of sign-ins, a mistyped password and a stranger refused by SSO, so HR's
/audit/sign-ins/ shows what it records before anyone has signed in. Safe to run again (only when it is empty)."""

import datetime

from django.utils import timezone

from alliance.models import User
from signin.models import SignInEvent

SIGNED_IN = SignInEvent.Kind.SIGNED_IN


def seed_demo():
    if SignInEvent.objects.exists():
        return
    people = {user.email: user for user in User.objects.filter(email__endswith="@example.com")}
    now = timezone.now()
    rows = [
        (3, SIGNED_IN, "hr@example.com", "password", "", ""),
        (2, SignInEvent.Kind.FAILED, "employee@example.com", "password", "wrong email or password", "198.51.100.7"),
        (2, SIGNED_IN, "employee@example.com", "password", "", "198.51.100.7"),
        (1, SignInEvent.Kind.REFUSED, "stranger@example.org", "SSO", "Alliance has no one with this address.", ""),
        (1, SIGNED_IN, "manager@example.com", "password", "", "203.0.113.20"),
    ]
    SignInEvent.objects.bulk_create(
        SignInEvent(kind=kind, user=people.get(email), email=email, method=method, detail=detail, ip=ip or "192.0.2.10")
        for _, kind, email, method, detail, ip in rows
    )
    # auto_now_add stamps them now; the demo's days are set afterwards.
    for event, (days, *_) in zip(SignInEvent.objects.order_by("pk"), rows, strict=True):
        SignInEvent.objects.filter(pk=event.pk).update(at=now - datetime.timedelta(days=days))
