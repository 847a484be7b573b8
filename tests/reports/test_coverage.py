import csv
import datetime
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EmployeeFactory, make_tour

TODAY = datetime.date.today()
URL = reverse("tours:report_coverage")


def test_exact_coverage_and_mix(cast, client_for):
    make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=10))  # in force
    make_tour(cast.report_report, state="agreed", start=TODAY + datetime.timedelta(days=10))  # not yet in force
    make_tour(cast.report_report, state="draft", tour_type="foundational")
    make_tour(cast.alumnus.manager and EmployeeFactory(manager=cast.manager), state="proposed")
    page = client_for("manager").get(URL)  # the manager's subtree: report, report_report, the new one
    figures = dict(page.context["rows"])
    assert figures["Active employees"] == 3
    assert figures["With an agreed tour in force"] == 1
    assert figures["Without a tour in force"] == 2
    assert figures["Coverage"] == "33%"
    assert figures["Transformational tours"] == 3 and figures["Foundational tours"] == 1
    assert figures["Tours agreed"] == 2 and figures["Tours draft"] == 1 and figures["Tours proposed"] == 1
    hr = dict(client_for("hr").get(URL).context["rows"])
    assert hr["Active employees"] == 6  # everyone employed today, the alumnus excluded
    exported = list(csv.reader(io.StringIO(b"".join(client_for("manager").get(URL, {"format": "csv"})
                                                        .streaming_content).decode())))  # fmt: skip
    assert exported[0] == ["Measure", "Value"] and exported[1:] == [[k, str(v)] for k, v in figures.items()]


def test_empty_team_and_flat_queries(cast, client_for):
    from tests.factories import TeamFactory

    empty = TeamFactory(name="Empty")
    assert dict(client_for("hr").get(URL, {"team": empty.pk}).context["rows"])["Coverage"] == "—"
    # A manager with an empty team: nobody reports to "other".
    nobody = dict(client_for("hr").get(URL, {"manager": cast.other.employee_number}).context["rows"])
    assert nobody["Active employees"] == 0 and nobody["Coverage"] == "—"

    def count():
        client = client_for("hr")
        with CaptureQueriesContext(connection) as captured:
            client.get(URL)
        return len(captured)

    few = count()
    for _ in range(25):
        make_tour(EmployeeFactory(manager=cast.manager), state="agreed", start=TODAY - datetime.timedelta(days=5))
    assert count() == few


def test_chart_with_only_zero_values_draws_its_table_rows_at_zero(cast, client_for):
    # It used to say "No data" when every bar was 0, above a table listing those very rows (issue 23).
    page = client_for("hr").get(URL)  # the cast has no tours: every bar is 0
    assert "No data" not in page.text and '<svg class="chart"' in page.text
    assert len(re.findall(r'data-row="\d+" data-value="0"', page.text)) == 3  # a bar per tour type, each 0
    make_tour(cast.report, state="agreed")
    page = client_for("hr").get(URL)
    assert '<svg class="chart"' in page.text and 'data-value="1"' in page.text
