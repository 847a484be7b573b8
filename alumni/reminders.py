"""Ask alumni with stale profiles (over 12 months) to update them, at most once a quarter."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alliance.notifications import notify
from alumni.models import AlumniProfile, ProfileReminder


def quarter_of(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def send_stale_profile_reminders(today=None):
    today = today or timezone.localdate()
    quarter = quarter_of(today)
    # Staleness is judged at the end of `today`, so a run for a given day is repeatable.
    end_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))
    profiles = (
        AlumniProfile.objects.stale(now=end_of_today)
        .members()
        .departed(today)
        .filter(employee__user__is_active=True)
        .exclude(pk__in=ProfileReminder.objects.filter(quarter=quarter).values("profile_id"))
        .select_related("employee__user")
    )
    sent = 0
    for profile in profiles.iterator(chunk_size=500):
        try:
            with transaction.atomic():
                ProfileReminder.objects.create(profile=profile, quarter=quarter)
                notify(
                    user=profile.employee.user,
                    url=reverse("alumni:me_edit"),
                    message="Your alumni profile is over a year old: is it still right? It takes a minute.",
                    email_subject="Is your alumni profile still current?",
                )
                sent += 1
        except IntegrityError:
            continue  # another run sent it a moment ago
    return sent
