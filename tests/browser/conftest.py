"""The demo company for the accessibility and keyboard tests: the README's sign-ins on real data."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def demo(demo_company):
    """The demo company (tests/conftest.py) and the objects whose pages the tests visit."""
    from alliance.models import Employee
    from alumni.models import AlumniProfile
    from networks.models import Contribution, Event
    from tours.models import Programme, Tour

    hr, marcus, emma, alice = (Employee.objects.get(employee_number=f"D-00{n}") for n in range(2, 6))
    return SimpleNamespace(
        hr=hr,
        emma=emma,
        marcus=marcus,
        alice=alice,
        profile=alice.alumni_profile,
        not_eligible=AlumniProfile.objects.filter(employee__departures__rehire_eligible=False).first(),
        other_profile=AlumniProfile.objects.exclude(pk=alice.alumni_profile.pk).order_by("pk").first(),
        agreed=Tour.objects.get(employee=emma, state=Tour.State.AGREED),
        draft=Tour.objects.get(employee=emma, state=Tour.State.DRAFT),
        proposed=Tour.objects.filter(state=Tour.State.PROPOSED, employee__manager=marcus).first(),
        programme=Programme.objects.order_by("pk").first(),
        insight=Contribution.objects.get(contributor=emma),
        team_insight=Contribution.objects.filter(contributor__manager=marcus).exclude(contributor=emma).first(),
        event=Event.objects.order_by("pk").first(),
        # The demo's agenda for an overdue check-in in Marcus's team (meetings.demo): "We met" can be recorded.
        meeting=Tour.objects.filter(employee__manager=marcus, state=Tour.State.AGREED, talking_points__isnull=False)
        .exclude(employee=emma)
        .first(),
    )
