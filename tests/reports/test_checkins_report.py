import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import EmployeeFactory, make_tour
from tours import services
from tours.models import CheckIn

TODAY = datetime.date.today()
URL = reverse("tours:report_checkins")


def test_exact_checkin_figures(cast, client_for):
    started = TODAY - datetime.timedelta(days=400)
    recent = make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=started)
    services.tour_check_in(tour=recent, user=recent.employee.user, due_on=recent.checkin_dates(until=TODAY)[-1],
                           other_side_keeping="yes", note="", progress=[])  # fmt: skip
    # `recent`: one side answered the latest date only, the earlier dates are unanswered: overdue.
    make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=started)  # never checked in: overdue
    make_tour(
        EmployeeFactory(manager=cast.manager), state="agreed", start=TODAY - datetime.timedelta(days=20)
    )  # too new: nothing has fallen due, so up to date
    old = make_tour(cast.report_report, state="agreed", start=started)
    services.tour_check_in(tour=old, user=cast.report_report.user, due_on=old.checkin_dates(until=TODAY)[0],
                           other_side_keeping="yes", note="", progress=[])  # fmt: skip
    CheckIn.objects.filter(tour=old).update(created_at=timezone.now() - datetime.timedelta(days=200))
    rows = client_for("hr").get(URL).context["rows"]
    assert rows == [
        ("Mo Nagy", 3, 1, "33%", 2),
        ("Rita Ortiz", 1, 0, "0%", 1),  # only the first date, by one side: overdue
    ]
    assert client_for("report").get(URL).context["rows"] == [("Rita Ortiz", 1, 0, "0%", 1)]
