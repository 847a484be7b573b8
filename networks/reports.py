"""The network-intelligence report: insights per month, rated and acted-on shares, fund spend, attendance."""

import datetime
from decimal import Decimal
from functools import partial

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from alliance.querysets import among, on_days
from alliance.reporting import Report, ReportFilterForm, figure, percent, render_report, scope
from networks.models import Attendance, Contribution, FundPolicy, FundSpend
from networks.trends import NETWORK
from tours.schedule import add_months
from trends.series import shown

REPORTS = [
    Report(
        "Network intelligence",
        "networks:report",
        "Insights per month, the share rated and acted on, network-fund spend and event attendance.",
    ),
]


@login_required
def network_report(request):
    form = ReportFilterForm(request.GET or None, dates=True, user=request.user)
    people = form.people(scope(request.user))
    insights = among(Contribution.objects.visible_to(request.user), "contributor", people)
    spends = among(FundSpend.objects.all(), "employee", people)
    attendance = among(Attendance.objects.all(), "employee", people)
    if form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        insights = insights.filter(on_days("created_at", since, until))
        if since:
            spends, attendance = spends.filter(spent_on__gte=since), attendance.filter(event__date__gte=since)
        if until:
            spends, attendance = spends.filter(spent_on__lte=until), attendance.filter(event__date__lte=until)
    months = {}
    for row in (
        insights.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            n=Count("pk"), rated=Count("pk", filter=Q(rating__isnull=False)), acted=Count("pk", filter=Q(acted_on=True))
        )
        .order_by()
    ):
        months.setdefault(row["month"].date() if hasattr(row["month"], "date") else row["month"], {}).update(row)
    for month, total in (
        spends.annotate(month=TruncMonth("spent_on")).values_list("month").annotate(s=Sum("amount")).order_by()
    ):
        months.setdefault(month, {})["spend"] = total
    for month, n in (
        attendance.annotate(month=TruncMonth("event__date")).values_list("month").annotate(n=Count("pk")).order_by()
    ):
        months.setdefault(month, {})["attended"] = n
    currency = FundPolicy.load().currency
    base = form.list_params()
    since, until = (form.cleaned_data["since"], form.cleaned_data["until"]) if form.is_valid() else (None, None)
    rows = []
    for month in sorted(months):
        m = months[month]
        n, acted = m.get("n", 0), m.get("acted", 0)
        spend = m.get("spend") or Decimal("0.00")
        last = add_months(month, 1) - datetime.timedelta(days=1)
        # The feed, narrowed to this month (and to the report's own dates, where they cut into it).
        dates = {"since": max(month, since or month).isoformat(), "until": min(last, until or last).isoformat()}
        rows.append(
            (
                f"{month:%Y-%m}",
                figure(n, "networks:index", **base, **dates),
                figure(m.get("rated", 0), "networks:index", **base, **dates, rated="yes"),
                figure(acted, "networks:index", **base, **dates, acted_on="yes"),
                percent(acted, n),
                f"{spend:.2f}",
                f"{spend / acted:.2f}" if acted else "—",
                m.get("attended", 0),
            )
        )
    return render_report(
        request, slug="network-intelligence", title="Network intelligence", form=form,
        description=f"Insights you may see per month, how many were rated and acted on, network-fund spend "
        f"({currency}) and event attendance by the people in scope.",
        columns=["Month", "Insights", "Rated", "Acted on", "Acted-on share", f"Fund spend ({currency})",
                 "Spend per acted-on insight", "Event attendances"],
        rows=rows, chart_title="Insights per month", trend=partial(shown, NETWORK) if form.company_wide() else None,
    )  # fmt: skip
