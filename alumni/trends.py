"""The alumni report's monthly history (trends.series): alumni engaged (a profile updated in the last 12 months),
referrals hired and boomerangs. `alumni_values(day)` is the one definition; for today it reads what the report
counts, for a day gone by the data's own dates (departures, updates, the referral's status change, rehires).

A profile keeps only its last update, so a past month counts the alumni whose last update fell in the 12 months
before it: a lower bound when someone updated again since."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from alliance.querysets import among
from alumni.models import STALE_AFTER, AlumniProfile, Referral, Rehire
from trends.series import Measure, Trend


def alumni_values(day, people=None):
    """Alumni on `day` (departed, with a profile), those engaged (updated in the 12 months before), referrals
    hired by then and boomerangs (people rehired by then). Company-wide unless `people` narrows it."""
    profiles = among(AlumniProfile.objects.all(), "employee", people)
    rehires = among(Rehire.objects.all(), "employee", people)
    referrals = among(Referral.objects.all(), "referrer", people)
    hired = Q(status=Referral.Status.HIRED)
    if day >= timezone.localdate():
        fresh = Q(updated_at__gte=timezone.now() - STALE_AFTER)  # the report's "updated in the last 12 months"
    else:
        end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
        fresh = Q(updated_at__gte=end - STALE_AFTER, updated_at__lt=end)
        rehires = rehires.filter(rehired_on__lte=day)
        hired &= Q(status_changed_at__lt=end) | Q(status_changed_at__isnull=True, created_at__lt=end)
    profiles = profiles.departed(day).aggregate(n=Count("pk"), fresh=Count("pk", filter=fresh))
    return {
        "alumni": profiles["n"],
        "alumni_engaged": profiles["fresh"],
        "referrals_hired": referrals.filter(hired).count(),
        "boomerangs": rehires.values("employee").distinct().count(),
    }


ALUMNI = Trend(
    title="Alumni engaged, referrals hired, boomerangs",
    measures=(
        Measure("alumni", "Alumni"),
        Measure("alumni_engaged", "Engaged (profile updated in the last 12 months)"),
        Measure("referrals_hired", "Referrals hired"),
        Measure("boomerangs", "Boomerangs"),
    ),
    values=alumni_values,
    headline="alumni_engaged",
)

TRENDS = [ALUMNI]
