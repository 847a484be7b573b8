"""The alumni report: tiers, freshness, boomerangs, referrals, interests. Database aggregates."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.utils import timezone

from alliance import access
from alliance.querysets import among
from alliance.reporting import Report, ReportFilterForm, figure, percent, render_report, scope
from alumni.models import STALE_AFTER, AlumniProfile, Referral, Rehire
from alumni.trends import ALUMNI
from trends.series import shown

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
        among(AlumniProfile.objects.all(), "employee", people)
        .departed(today)
        .aggregate(
            total=Count("pk"),
            distinguished=Count("pk", filter=Q(tier=AlumniProfile.Tier.DISTINGUISHED)),
            fresh=Count("pk", filter=Q(updated_at__gte=fresh_since)),
            **interests,
        )
    )
    hr = access.is_hr(request.user)
    narrowed = form.is_valid() and (form.cleaned_data["team"] or form.cleaned_data["manager"])
    # HR's whole company counts every referral, its erased referrers' too, as the referrals list shows them.
    referrals = Referral.objects.all() if hr and not narrowed else Referral.objects.filter(referrer__in=people)
    referrals = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    base = form.list_params()

    def roster(value, **params):
        """The roster is HR's page: for a manager the figure stays a plain number."""
        return figure(value, "alumni:roster", **base, **params) if hr else value

    def referral_list(value, status):
        return figure(value, "alumni:referrals", **base, status=status) if hr else value

    total = profiles["total"]
    share = percent(profiles["fresh"], total)
    boomerangs = among(Rehire.objects.all(), "employee", people).values("employee").distinct().count()
    rows = [
        ("Alumni", roster(total)),
        ("Distinguished alumni", roster(profiles["distinguished"], tier=AlumniProfile.Tier.DISTINGUISHED)),
        ("Profiles updated in the last 12 months", roster(profiles["fresh"], fresh="on")),
        ("Share updated in the last 12 months", share),
        ("Boomerangs (rehired)", figure(boomerangs, "people:list", **base, status="", boomerang="on")),
        *((f"Referrals {label.lower()}", referral_list(referrals.get(value, 0), value))
          for value, label in Referral.Status.choices),
        *((f"Interested in: {label.lower()}", roster(profiles[field], interest=field))
          for field, label in AlumniProfile.INTERESTS),
    ]  # fmt: skip
    return render_report(
        request,
        slug="alumni",
        title="Alumni",
        form=form,
        description="Alumni by tier, how current their profiles are, boomerangs, referrals (hires among them) "
        "and interests.",
        columns=["Measure", "Value"],
        rows=rows,
        chart_labels={f"Interested in: {label.lower()}" for _, label in AlumniProfile.INTERESTS},
        trend=partial(shown, ALUMNI) if form.company_wide() else None,
        chart_title="Alumni by interest",
    )
