import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from networks import fund
from networks.models import Attendance, Contribution, Event

URL = reverse("networks:report")


def test_exact_network_figures_and_visibility(cast, client_for):
    march = timezone.make_aware(datetime.datetime(2025, 3, 10, 12))
    april = timezone.make_aware(datetime.datetime(2025, 4, 2, 12))
    for i, (when, vis) in enumerate([(march, "everyone"), (march, "managers"), (april, "hr"), (april, "everyone")]):
        Contribution.objects.create(contributor=cast.report, kind="market", title=f"t{i}", insight="x",
                                    visibility=vis, created_at=when, rating=4 if i < 2 else None,
                                    acted_on=i == 0)  # fmt: skip
    fund.log_spend(employee=cast.report, spent_on=datetime.date(2025, 3, 5), amount=Decimal("30.50"), what="lunch",
                   note="", contributions=[])  # fmt: skip
    event = Event.objects.create(title="Meetup", date=datetime.date(2025, 4, 20), created_by=cast.hr.user)
    Attendance.objects.create(event=event, employee=cast.report)
    Attendance.objects.create(event=event, employee=cast.other)  # outside the manager's subtree
    manager = client_for("manager").get(URL).context["rows"]
    assert manager == [
        ("2025-03", 2, 2, 1, "50%", "30.50", "30.50", 0),
        ("2025-04", 1, 0, 0, "0%", "0.00", "—", 1),  # the HR-only insight is not counted for a manager
    ]
    hr = client_for("hr").get(URL, {"since": "2025-04-01"}).context["rows"]
    assert hr == [("2025-04", 2, 0, 0, "0%", "0.00", "—", 2)]
