"""The HR dashboard's company-wide figures as a snapshot: counting 10,000 people and 30,000 tours on
every visit is the page's whole cost, and figures a few minutes old answer HR's question as well."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from alliance.models import CompanySnapshot, Employee, Team
from alumni.reports import freshness as alumni_freshness
from tours.reports import summary as tour_summary

SNAPSHOT_MAX_AGE = datetime.timedelta(minutes=5)
REFRESH_ASKED = "company-snapshot-refresh-asked"
# Older than this (the worker is down or far behind), the request counts afresh rather than show old figures.
SNAPSHOT_HARD_LIMIT = datetime.timedelta(hours=1)


def company_figures():
    """Computed afresh: the overdue count is tours.querysets.checkin_overdue_on(), as on the reports."""
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


@task()
def company_snapshot_refresh_later():
    """The background refresh a stale read asks for: skipped if someone refreshed it meanwhile."""
    snapshot = CompanySnapshot.objects.filter(pk=1).first()
    if snapshot is None or snapshot.taken_at < timezone.now() - SNAPSHOT_MAX_AGE:
        company_snapshot_refresh()


def company_snapshot():
    """The snapshot. Taken in the request only when there is none yet (or it is over an hour old); an old one (older
    than SNAPSHOT_MAX_AGE) is shown as it is, with its time, while a background task takes a new one: counting the
    company in the request was the HR dashboard's whole p95 (168 ms at 10,000 employees). Each server process asks
    at most once a minute (the cache), and the task skips the work if the snapshot is fresh by the time it runs.
    With the refresh_company_snapshot command on a schedule (see README), the request never counts at all."""
    snapshot = CompanySnapshot.objects.filter(pk=1).first()
    if snapshot is None or snapshot.taken_at < timezone.now() - SNAPSHOT_HARD_LIMIT:
        return company_snapshot_refresh()  # none yet, or the worker has not refreshed it for an hour
    if snapshot.taken_at < timezone.now() - SNAPSHOT_MAX_AGE and cache.add(REFRESH_ASKED, True, timeout=60):
        transaction.on_commit(company_snapshot_refresh_later.enqueue)
    return snapshot
