import datetime

from django.urls import reverse

from alumni.models import Departure
from tests.factories import EmployeeFactory, make_tour
from tours import services

URL = reverse("tours:report_outcomes")


def end(tour, on, outcome, company="yes", employee="yes"):
    if outcome == "successor":
        services.tour_plan_next(tour=tour, user=tour.employee.manager.user)
    services.tour_end(tour=tour, ended_on=on, outcome=outcome, end_reason="Reason" if outcome == "ended_early" else "",
                      company_kept=company, employee_kept=employee)  # fmt: skip


def test_exact_outcomes_per_quarter(cast, client_for):
    start = datetime.date(2024, 1, 1)
    people = [EmployeeFactory(manager=cast.manager) for _ in range(4)]
    tours = [make_tour(p, state="agreed", start=start, end=datetime.date(2026, 12, 31)) for p in people]
    end(tours[0], datetime.date(2025, 2, 10), "successor", employee="partly")
    end(tours[1], datetime.date(2025, 3, 31), "planned_departure")  # last day of Q1
    end(tours[2], datetime.date(2025, 4, 1), "ended_early", company="no")  # first day of Q2
    end(tours[3], datetime.date(2025, 5, 5), "successor")
    Departure.objects.create(employee=people[2], departure_date=datetime.date(2025, 4, 1), reason="resigned",
                             recorded_by=cast.hr.user)  # fmt: skip
    rows = client_for("manager").get(URL).context["rows"]
    assert rows == [
        ("2025 Q1", 2, 1, 1, 0, "50%", "2/0/0", "1/1/0", 0),
        ("2025 Q2", 2, 1, 0, 1, "50%", "1/0/1", "2/0/0", 1),
    ]
    only_q2 = client_for("hr").get(URL, {"since": "2025-04-01", "until": "2025-06-30"}).context["rows"]
    assert only_q2 == [rows[1]]
    assert client_for("hr").get(URL, {"type": "foundational"}).context["rows"] == []
    assert client_for("report").get(URL).context["rows"] == []  # none of these are in the report's subtree
