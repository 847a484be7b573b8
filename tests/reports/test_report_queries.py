"""Every report's query count stays flat as the company grows, and every CSV equals its table."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile
from networks.models import Contribution
from tests.factories import EmployeeFactory, make_tour
from tours import services

TODAY = datetime.date.today()
REPORTS = ["tours:report_at_risk", "tours:report_coverage", "tours:report_outcomes", "tours:report_checkins",
           "networks:report", "alumni:report"]  # fmt: skip


def grow(cast, n):
    for i in range(n):
        person = EmployeeFactory(manager=cast.manager)
        tour = make_tour(person, state="agreed", start=TODAY - datetime.timedelta(days=400 + i),
                         end=TODAY + datetime.timedelta(days=30 + i))  # fmt: skip
        if i % 3 == 0:
            services.tour_end(tour=tour, ended_on=TODAY - datetime.timedelta(days=i), outcome="ended_early",
                              end_reason="r", company_kept="yes", employee_kept="no")  # fmt: skip
        Contribution.objects.create(contributor=person, kind="market", title="t", insight="i", rating=3)
        if i % 4 == 0:
            gone = EmployeeFactory(manager=cast.manager, departure_date=TODAY - datetime.timedelta(days=3))
            AlumniProfile.objects.create(employee=gone, joined_at=timezone.now(), events=True)


def test_query_counts_are_flat_from_10_to_200_employees_and_csv_equals_table(cast, client_for):
    def measure(name):
        client = client_for("hr")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name))
        return len(captured), response

    grow(cast, 4)  # with the cast: 10 people
    for name in REPORTS:
        measure(name)  # the first request may create the fund policy row
    few = {name: measure(name)[0] for name in REPORTS}
    grow(cast, 150)  # about 200 people with tours, insights and alumni
    for name in REPORTS:
        many, response = measure(name)
        assert many == few[name], name
        exported = client_for("hr").get(reverse(name), {"format": "csv"})
        table = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
        assert table[0] == list(response.context["columns"])
        assert table[1:] == [[str(cell) for cell in row] for row in response.context["rows"]]
        assert len(table) > 1, name
