"""HR's dashboard reads a snapshot of the company figures, refreshed when older than
SNAPSHOT_MAX_AGE or by `manage.py refresh_company_snapshot`, and says as of when."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance.models import CompanySnapshot
from portal.snapshot import REFRESH_ASKED, SNAPSHOT_MAX_AGE
from tests.factories import make_tour

TODAY = datetime.date.today()
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _overdue_tour(cast):
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=130))  # first check-in missed


def test_page_says_as_of_when_and_reuses_a_fresh_snapshot(cast, client_for):
    client = client_for("hr")
    page = client.get(reverse("dashboard"))
    taken_at = CompanySnapshot.objects.get().taken_at
    assert f'As of <time datetime="{timezone.localtime(taken_at).isoformat()}">' in page.text
    assert f"{timezone.localtime(taken_at):%H:%M}</time>" in page.text
    _overdue_tour(cast)
    assert client.get(reverse("dashboard")).context["hr"]["overdue_checkins"] == 0  # still the snapshot's
    assert CompanySnapshot.objects.get().taken_at == taken_at


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_older_than_the_limit_is_shown_and_refreshed_in_the_background(cast, client_for):
    client = client_for("hr")
    client.get(reverse("dashboard"))
    _overdue_tour(cast)
    stale = timezone.now() - SNAPSHOT_MAX_AGE - datetime.timedelta(seconds=1)
    CompanySnapshot.objects.update(taken_at=stale)
    cache.delete(REFRESH_ASKED)
    with override_settings(TASKS=DATABASE_TASKS):
        page = client.get(reverse("dashboard"))
        assert page.context["hr"]["overdue_checkins"] == 0  # the old figures, with their time: no counting here
        assert CompanySnapshot.objects.get().taken_at == stale
        assert DBTaskResult.objects.filter(task_path__endswith="company_snapshot_refresh_later").count() == 1
        client.get(reverse("dashboard"))  # asked once, not on every visit
        assert DBTaskResult.objects.count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page = client.get(reverse("dashboard"))
    assert page.context["hr"]["overdue_checkins"] == 1  # tours.querysets.checkin_overdue_on, as the report
    assert CompanySnapshot.objects.get().taken_at > stale


def test_the_command_refreshes_the_snapshot(cast, client_for):
    client = client_for("hr")
    client.get(reverse("dashboard"))
    _overdue_tour(cast)
    call_command("refresh_company_snapshot", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert client.get(reverse("dashboard")).context["hr"]["overdue_checkins"] == 1


def test_hr_dashboard_reads_one_row(cast, client_for, django_assert_max_num_queries):
    client = client_for("hr")
    client.get(reverse("dashboard"))  # takes the snapshot
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("dashboard"))
    assert sum("alliance_companysnapshot" in q["sql"] for q in captured.captured_queries) == 1
    assert not any("tours_tour" in q["sql"] and "COUNT" in q["sql"] for q in captured.captured_queries)
