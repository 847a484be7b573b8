"""The HR dashboard's company-wide figures as a snapshot: counting 10,000 people and 30,000 tours on
every visit is the page's whole cost, and figures a few minutes old answer HR's question as well."""

import datetime

from django.db import transaction
from django.utils import timezone

from alliance.models import CompanySnapshot, Employee, Team
from alumni.reports import freshness as alumni_freshness
from tours.reports import summary as tour_summary

SNAPSHOT_MAX_AGE = datetime.timedelta(minutes=5)


def company_figures():
    """Computed afresh: the overdue count is tours.models.checkin_overdue_on(), as on the reports."""
    return {
        **tour_summary(Employee.objects.all()),
        "teams": Team.objects.count(),
        "alumni_fresh": alumni_freshness(),
    }


@transaction.atomic
def company_snapshot_refresh():
    snapshot, _ = CompanySnapshot.objects.update_or_create(
        pk=1, defaults={"figures": company_figures(), "taken_at": timezone.now()}
    )
    return snapshot


def company_snapshot():
    """The snapshot, refreshed first when missing or older than SNAPSHOT_MAX_AGE. Two workers finding
    it stale at once both recompute (one write wins): cheaper than a lock held over the counts."""
    snapshot = CompanySnapshot.objects.filter(pk=1).first()
    if snapshot is None or snapshot.taken_at < timezone.now() - SNAPSHOT_MAX_AGE:
        snapshot = company_snapshot_refresh()
    return snapshot
