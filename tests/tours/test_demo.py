from django.core.management import call_command

from alliance.models import Notification
from tours.models import Tour


def test_demo_tours_cover_every_state_and_type_and_are_not_duplicated(demo_company):
    # demo_company is seed_demo's result (seeded once per worker and copied, tests/conftest.py); seeded again here.
    count = Tour.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Tour.objects.count() == count
    assert set(Tour.objects.values_list("state", flat=True)) == set(Tour.State.values)
    assert set(Tour.objects.values_list("type", flat=True)) == set(Tour.Type.values)
    emma = Tour.objects.get(employee__user__email="employee@example.com", state="agreed")
    assert emma.type == "transformational" and emma.checkins.values("due_on").distinct().count() == 2
    assert Tour.objects.get(predecessor=emma).state == "draft"
    assert Tour.objects.filter(
        employee__manager__user__email="manager@example.com", state="agreed", end_date__isnull=False
    ).exists()
    # Seeding replays history silently, but for one check-in Elena records on the day, which Marcus is told of (his
    # notification centre and digest show it): once, however often the demo is seeded.
    [told] = Notification.objects.all()
    assert told.user.email == "manager@example.com" and told.message.startswith("Elena Haddad checked in on")


def test_generated_people_get_three_tours_each(db):
    call_command("seed_demo", employees=50, stdout=open("/dev/null", "w"))  # noqa: SIM115
    generated = Tour.objects.filter(employee__employee_number__startswith="E")
    assert generated.count() == 150
    assert generated.exclude(state="draft").filter(agreed_revision__isnull=False).count() == 100
    assert not generated.filter(current_revision__isnull=True).exists()
