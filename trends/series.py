"""A report's trend: its measures month by month, recorded by `manage.py record_trends` and read by the report.

Each app declares a `Trend` per report next to the report (tours.trends, networks.trends, alumni.trends): the
measures' keys and labels, and one function `values(day)` giving every measure's company-wide value on that
day. The same function gives a past month (at its last day, from the data's own dates) and the live figure
(today), so the current month of a trend is the report's figure, by construction."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from trends.models import TrendPoint

COUNT, SHARE, MONEY = "count", "share", "money"
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Measure:
    key: str  # unique across every trend: it names the rows in TrendPoint
    label: str
    kind: str = COUNT


@dataclass(frozen=True)
class Trend:
    """One report's history: `values(day)` -> {measure key: number} for every measure, company-wide, on that
    day (the month so far, for measures counted per month). `headline`: the measure the chart draws."""

    title: str
    measures: tuple[Measure, ...]
    values: Callable[[datetime.date], dict]
    headline: str

    @property
    def keys(self):
        return [m.key for m in self.measures]


def month_start(day):
    return day.replace(day=1)


def shift(month, months):
    """The first day of the month `months` after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month):
    return shift(month, 1) - datetime.timedelta(days=1)


def months(first, last):
    """The first days of every month from `first`'s to `last`'s."""
    month, found = month_start(first), []
    while month <= last:
        found.append(month)
        month = shift(month, 1)
    return found


def share(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide (not recorded as 0%)."""
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def record(trends, *, since, today=None):
    """Write every measure of `trends` for each month from `since`'s to today's. A past month is computed at its
    last day unless it was already recorded after it was over (then it is final, and costs no query); the current
    month is written with today's value. Idempotent: a second run the same day writes the same values and leaves
    the past alone. Returns how many rows it wrote."""
    today = today or timezone.localdate()
    current = month_start(today)
    keys = [key for trend in trends for key in trend.keys]
    recorded = {
        (month, measure): at
        for month, measure, at in TrendPoint.objects.filter(measure__in=keys).values_list(
            "month", "measure", "recorded_at"
        )
    }
    now, written = timezone.now(), 0
    for month in months(since, today):
        day = today if month == current else month_end(month)
        for trend in trends:
            # Any of a trend's measures will do: they are written together (a share of nothing is left out).
            final = any(
                (month, key) in recorded and timezone.localdate(recorded[(month, key)]) > day for key in trend.keys
            )
            if month != current and final:
                continue
            values = trend.values(day)
            with transaction.atomic():  # a month's measures of one report together, or none of them
                for key in trend.keys:
                    value = values[key]
                    if value is None:
                        TrendPoint.objects.filter(month=month, measure=key).delete()
                        continue
                    TrendPoint.objects.update_or_create(
                        month=month, measure=key, defaults={"value": value, "recorded_at": now}
                    )
                    written += 1
    return written


def formatted(value, kind):
    if value is None:
        return "—"
    if kind == SHARE:
        return f"{value:.0f}%"
    if kind == MONEY:
        return f"{value:.2f}"
    return f"{int(value)}"


def change(previous, current, kind):
    """ "+3", "−2", "±0" (percentage points for a share); "—" when either month has no figure."""
    if previous is None or current is None:
        return "—"
    delta = Decimal(current) - Decimal(previous)
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    size = formatted(abs(delta), MONEY if kind == MONEY else COUNT)
    return f"{sign}{size}{' points' if kind == SHARE else ''}"


@dataclass
class Shown:
    """A trend as a report shows it: the table (a row per month), the change since the previous month and a
    bar chart of the headline measure (the same rows as the table)."""

    trend: Trend
    columns: list
    rows: list  # (month label, *formatted values), oldest first
    changes: list  # (label, previous, now, change)
    chart: list  # (label, value, row index) for alliance.reporting.bars
    chart_title: str


def shown(trend, *, today=None, live=None, months_shown=MONTHS_SHOWN):
    """The last `months_shown` months of `trend`: the stored months, and the current month live (trend.values
    of today, the report's own figures; `live`: those values, when the report has just computed them for the
    whole company). Months before the first recorded one are left out."""
    today = today or timezone.localdate()
    current = month_start(today)
    first = shift(current, -(months_shown - 1))
    stored = {}
    for month, measure, value in TrendPoint.objects.filter(
        measure__in=trend.keys, month__gte=first, month__lt=current
    ).values_list("month", "measure", "value"):
        stored.setdefault(month, {})[measure] = value
    live = trend.values(today) if live is None else live
    series = [(month, stored[month]) for month in sorted(stored)] + [(current, live)]
    rows = [
        (f"{month:%Y-%m}", *(formatted(values.get(m.key), m.kind) for m in trend.measures)) for month, values in series
    ]
    previous = series[-2][1] if len(series) > 1 else {}
    changes = [
        (m.label, formatted(previous.get(m.key), m.kind), formatted(live.get(m.key), m.kind),
         change(previous.get(m.key), live.get(m.key), m.kind))
        for m in trend.measures
    ]  # fmt: skip
    headline = next(m for m in trend.measures if m.key == trend.headline)
    chart = [(f"{month:%Y-%m}", int(values.get(headline.key) or 0), i) for i, (month, values) in enumerate(series)]
    return Shown(
        trend=trend,
        columns=["Month", *(m.label for m in trend.measures)],
        rows=rows,
        changes=changes,
        chart=chart,
        chart_title=f"{headline.label}, month by month",
    )
