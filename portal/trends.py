"""Every report's trend in one list, for `manage.py record_trends` and seed_demo (each app declares its own in
its trends.py; only this top layer knows them all), and where the backfill starts."""

from django.db.models import Min
from django.utils import timezone

from alliance.models import Employee
from alumni.trends import TRENDS as ALUMNI_TRENDS
from networks.models import Contribution
from networks.trends import TRENDS as NETWORK_TRENDS
from tours.models import Tour
from tours.trends import TRENDS as TOUR_TRENDS
from trends import series

ALL_TRENDS = [*TOUR_TRENDS, *NETWORK_TRENDS, *ALUMNI_TRENDS]
# The backfill reaches at most this far back: each month costs a few queries per report (and the check-ins a pass
# over the tours then in force), and the reports show the last 12.
BACKFILL_MONTHS = 36


def earliest(today):
    """The first month with data (the earliest tour, hire or insight), at most BACKFILL_MONTHS back."""
    days = [Tour.objects.aggregate(d=Min("start_date"))["d"], Employee.objects.aggregate(d=Min("hire_date"))["d"]]
    first_insight = Contribution.objects.aggregate(d=Min("created_at"))["d"]
    if first_insight is not None:
        days.append(timezone.localdate(first_insight))
    floor = series.shift(series.month_start(today), -(BACKFILL_MONTHS - 1))
    return max(floor, min([d for d in days if d is not None], default=today))


def trends_record(*, today=None):
    """Record every report's trend from the first month with data: months already final cost nothing, so the
    first run backfills the history and later runs finish the month just over and rewrite the current one.
    Returns (first month, rows written)."""
    today = today or timezone.localdate()
    since = series.month_start(earliest(today))
    return since, series.record(ALL_TRENDS, since=since, today=today)
