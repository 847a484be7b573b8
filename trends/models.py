"""The monthly history of the measures the reports show (issue 23): one row per month and measure.

A plain store at the bottom of the layers: it knows no measure. Each app defines its own measures next to its
reports (tours.trends, networks.trends, alumni.trends), so a measure's past months and its live figure come
from one function; `manage.py record_trends` (portal) writes them here."""

from django.db import models
from django.utils import timezone


class TrendPoint(models.Model):
    """A measure's company-wide value at the end of a month (for the current month: when last recorded)."""

    month = models.DateField(help_text="The month's first day.")
    measure = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "measure"]
        constraints = [
            # record_trends writes each month once per measure (update_or_create): running it again changes nothing.
            models.UniqueConstraint(fields=["month", "measure"], name="trendpoint_one_per_month_and_measure"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="trendpoint_month_is_first_day"),
        ]
        # The unique constraint's index serves the reports' read (the last months of a few measures).

    def __str__(self):
        return f"{self.measure} {self.month:%Y-%m}: {self.value}"
