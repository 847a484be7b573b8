"""The network-intelligence report's monthly history (trends.series): insights acted on and network-fund spend
per acted-on insight. `network_values(day, people=None)` is the one definition: the report's row for the current
month counts the same (insights by the month they were shared, their acted-on mark, spend by its date)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from alliance.querysets import among, on_days
from networks.models import Contribution, FundSpend
from trends.series import MONEY, SHARE, Measure, Trend, month_start, share


def network_values(day, people=None):
    """Insights shared in `day`'s month up to that day, how many of them are acted on, the month's fund spend and
    the spend per acted-on insight. Company-wide (HR sees every insight) unless `people` narrows it."""
    insights = among(Contribution.objects.filter(on_days("created_at", month_start(day), day)), "contributor", people)
    spends = among(FundSpend.objects.filter(spent_on__gte=month_start(day), spent_on__lte=day), "employee", people)
    counts = insights.aggregate(n=Count("pk"), acted=Count("pk", filter=Q(acted_on=True)))
    spend = spends.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    acted = counts["acted"]
    return {
        "insights": counts["n"],
        "insights_acted_on": acted,
        "insights_acted_on_share": share(acted, counts["n"]),
        "fund_spend": spend,
        "fund_spend_per_acted_on": (spend / acted).quantize(Decimal("0.01")) if acted else None,
    }


NETWORK = Trend(
    title="Insights acted on and fund spend",
    measures=(
        Measure("insights", "Insights shared"),
        Measure("insights_acted_on", "Acted on"),
        Measure("insights_acted_on_share", "Acted-on share", SHARE),
        Measure("fund_spend", "Fund spend", MONEY),
        Measure("fund_spend_per_acted_on", "Spend per acted-on insight", MONEY),
    ),
    values=network_values,
    headline="insights_acted_on",
)

TRENDS = [NETWORK]
