"""alliance.querysets.on_days: a moment field on a range of days, as the __date lookups mean it (the current time
zone's days), but as a range an index serves."""

import datetime

import pytest
from django.utils import timezone

from alliance.querysets import on_days
from networks.models import Contribution
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_the_same_rows_as_the_date_lookups_in_any_time_zone(zone):
    author = EmployeeFactory()
    moments = [
        datetime.datetime(2026, 5, 31, 21, 59, tzinfo=UTC),
        datetime.datetime(2026, 5, 31, 22, 30, tzinfo=UTC),  # 1 June in Berlin
        datetime.datetime(2026, 6, 1, 6, 59, tzinfo=UTC),  # 31 May in Los Angeles
        datetime.datetime(2026, 6, 1, 7, 30, tzinfo=UTC),
        datetime.datetime(2026, 6, 30, 23, 59, tzinfo=UTC),  # 1 July in Berlin
        datetime.datetime(2026, 7, 1, 0, 0, tzinfo=UTC),
    ]
    for n, moment in enumerate(moments):
        Contribution.objects.create(contributor=author, kind="market", title=f"t{n}", insight="i", created_at=moment)
    june, end = datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
    with timezone.override(zone):
        for since, until in [(june, end), (june, None), (None, end), (None, None), (end, end)]:
            lookups = {}
            if since:
                lookups["created_at__date__gte"] = since
            if until:
                lookups["created_at__date__lte"] = until
            expected = set(Contribution.objects.filter(**lookups).values_list("title", flat=True))
            found = set(
                Contribution.objects.filter(on_days("created_at", since, until)).values_list("title", flat=True)
            )
            assert found == expected, (zone, since, until)
    with timezone.override("Europe/Berlin"):
        titles = set(Contribution.objects.filter(on_days("created_at", june, end)).values_list("title", flat=True))
    assert titles == {"t1", "t2", "t3"}  # there t0 is on 31 May, t4 and t5 on 1 July
