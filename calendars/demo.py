"""The demo employee's calendar link, so her account page shows it (seed_demo; made once)."""

from alliance.models import User
from calendars.models import CalendarFeed


def seed_demo():
    user = User.objects.filter(email="employee@example.com").first()
    if user is not None:
        CalendarFeed.objects.get_or_create(user=user)
