"""The alumni report: tiers, freshness, boomerangs, referrals, interests. Database aggregates."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.utils import timezone

from alliance.reporting import Report, ReportFilterForm, percent, render_report, scope
from alumni.models import STALE_AFTER, AlumniProfile, Referral, Rehire

REPORTS = [
    Report("Alumni", "alumni:report", "Alumni by tier, how current their profiles are, boomerangs, referrals."),
]


def freshness():
    """Share of alumni whose profile was updated in the last 12 months (the HR dashboard's number)."""
    figures = AlumniProfile.objects.departed().aggregate(
        total=Count("pk"), fresh=Count("pk", filter=Q(updated_at__gte=timezone.now() - STALE_AFTER))
    )
    return percent(figures["fresh"], figures["total"])


@login_required
def alumni_report(request):
    form = ReportFilterForm(request.GET or None, user=request.user)
    people = form.people(scope(request.user))
    today = timezone.localdate()
    fresh_since = timezone.now() - STALE_AFTER
    interests = {field: Count("pk", filter=Q(**{field: True})) for field, _ in AlumniProfile.INTERESTS}
    profiles = (
        AlumniProfile.objects.filter(employee__in=people)
        .departed(today)
        .aggregate(
            total=Count("pk"),
            distinguished=Count("pk", filter=Q(tier=AlumniProfile.Tier.DISTINGUISHED)),
            fresh=Count("pk", filter=Q(updated_at__gte=fresh_since)),
            **interests,
        )
    )
    referrals = dict(
        Referral.objects.filter(referrer__in=people).values_list("status").annotate(n=Count("pk")).order_by()
    )
    total = profiles["total"]
    share = percent(profiles["fresh"], total)
    rows = [
        ("Alumni", total),
        ("Distinguished alumni", profiles["distinguished"]),
        ("Profiles updated in the last 12 months", profiles["fresh"]),
        ("Share updated in the last 12 months", share),
        ("Boomerangs (rehired)", Rehire.objects.filter(employee__in=people).values("employee").distinct().count()),
        *((f"Referrals {label.lower()}", referrals.get(value, 0)) for value, label in Referral.Status.choices),
        *((f"Interested in: {label.lower()}", profiles[field]) for field, label in AlumniProfile.INTERESTS),
    ]
    return render_report(
        request,
        slug="alumni",
        title="Alumni",
        form=form,
        description="Alumni by tier, how current their profiles are, boomerangs, referrals (hires among them) "
        "and interests.",
        columns=["Measure", "Value"],
        rows=rows,
        chart=[(label, profiles[field]) for field, label in AlumniProfile.INTERESTS],
        chart_title="Alumni by interest",
    )
