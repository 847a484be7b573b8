"""alliance.querysets.on_days: a moment field on a range of days, as the __date lookups mean it (the current time
zone's days), but as a range an index serves. And among: rows linked to a group of people, without a join for all."""

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


def test_among_everyone_is_the_rows_with_a_link_without_a_join():
    """alliance.querysets.among: `people` None is every row; every employee unfiltered is the rows whose link is set
    (a required link: all of them, no condition); a narrowed group is "one of them"."""
    from alliance.models import Employee
    from alliance.querysets import among
    from alumni.models import Referral

    author, other = EmployeeFactory(), EmployeeFactory()
    Contribution.objects.create(contributor=author, kind="market", title="mine", insight="i")
    Contribution.objects.create(contributor=other, kind="market", title="theirs", insight="i")
    for name, referrer in [("by author", author), ("erased referrer", None)]:
        Referral.objects.create(referrer=referrer, candidate_name=name, contact="x@example.com")
    everyone = Employee.objects.all()
    insights = among(Contribution.objects.all(), "contributor", everyone)
    assert "WHERE" not in str(insights.query) and insights.count() == 2
    assert set(among(Referral.objects.all(), "referrer", everyone).values_list("candidate_name", flat=True)) == {
        "by author"
    }
    assert among(Referral.objects.all(), "referrer", None).count() == 2
    narrowed = Employee.objects.filter(pk=author.pk)
    assert list(among(Contribution.objects.all(), "contributor", narrowed).values_list("title", flat=True)) == ["mine"]
