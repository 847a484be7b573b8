"""What every report shares: who may see it, the filters, a chart, the table and its CSV.

A report is a view that builds `columns` and `rows` (tuples, computed by database aggregation)
and a chart (label, value) list, then calls `render_report()`. The same rows feed the table and
the CSV, so the CSV is exactly what the page shows; the CSV is streamed row by row."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render

from alliance import access, csvfiles
from alliance.forms import DateField, FilterForm, PersonField
from alliance.models import Employee, Team
from alliance.paths import plain_path

REPORT_PAGE_SIZE = 25  # rows per page where a report has a row per person or manager
# The smallest group a filter may narrow a report to, for anyone but HR.
MIN_GROUP = 5
SMALL_GROUP = (
    f"These filters pick fewer than {MIN_GROUP} people: figures about so few would be about each of them. "
    "Widen the filters (another team, a manager higher up) to see figures."
)
HR, MANAGER = "hr", "manager"


class Figure(int):
    """A count on a report or dashboard that links to the list of exactly what it counts (the list's own
    filters, so the list can be exported): an int everywhere (sums, CSV cells, comparisons), plus `url`."""

    url = ""


def drill(url_name, **params):
    """The URL of a list page with these filters (None and False left out; "" kept: the people directory reads
    an empty status as "any status", and no status as "active")."""
    query = urlencode({name: value for name, value in params.items() if value is not None and value is not False})
    # Reversed once (alliance.paths): a report links hundreds of figures to a handful of lists.
    return plain_path(url_name) + (f"?{query}" if query else "")


def figure(value, url_name, **params):
    """`value`, linked to the list `url_name` filtered by `params` (see Figure)."""
    counted = Figure(value)
    counted.url = drill(url_name, **params)
    return counted


def percent(part, whole):
    """Every share the reports and dashboards show, in one format: "42%", or "—" when there is nothing to count."""
    return f"{100 * part / whole:.0f}%" if whole else "—"


@dataclass(frozen=True)
class Report:
    """One entry of an app's `REPORTS` list: the reports index, the dashboards and the navigation
    read those lists (portal.reports), so a new report is linked by declaring it once.
    `audience`: who may open it; the view's scope() must agree (tests/reports/test_registry.py)."""

    title: str
    url_name: str
    description: str
    audience: frozenset = frozenset({HR, MANAGER})

    def allows(self, user):
        return (HR in self.audience and access.is_hr(user)) or (MANAGER in self.audience and access.is_manager(user))


def scope(user):
    """The employees a report may count: HR everyone, a manager their whole subtree, others refused."""
    if access.is_hr(user):
        return Employee.objects.all()
    if access.is_manager(user):
        return Employee.objects.subtree_of(access.current_employee(user))
    raise PermissionDenied("Reports are for managers and HR.")


class ReportFilterForm(FilterForm):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All teams")
    manager = PersonField(required=False, help_text="Their direct reports. Type a name, employee number or email.")
    since = DateField(required=False, label="From")
    until = DateField(required=False, label="To")

    def __init__(self, *args, dates=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not dates:
            del self.fields["since"], self.fields["until"]

    def showing(self):
        """The filters in force, in words ("team Engineering, manager Mo Nagy"); empty when none."""
        if not self.is_valid():
            return ""
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if isinstance(value, Employee):
                value = value.full_name
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            parts.append(f"{(field.label or name.replace('_', ' ')).lower()} {value}")
        return ", ".join(parts)

    def list_params(self):
        """The report's people filters as the list pages spell them: team, direct manager, and for a
        manager "below me" (a report counts the people below them, a list also shows their own rows)."""
        params = {}
        if self.is_valid():
            team, manager = self.cleaned_data["team"], self.cleaned_data["manager"]
            params["team"] = team.pk if team else None
            params["manager"] = manager.employee_number if manager else None
        if not access.is_hr(self.user):
            params["below"] = access.current_employee(self.user).employee_number
        return params

    def company_wide(self):
        """Whether this is HR's unfiltered report: the figures of the whole company, which its trend (the monthly
        history record_trends keeps company-wide) continues. Others see no trend: it would be about others."""
        if not access.is_hr(self.user):
            return False
        if not self.is_bound:
            return True
        return self.is_valid() and not any(self.cleaned_data.get(name) for name in self.fields if name != "days")

    def people(self, employees):
        """Narrow the employees in scope by team and direct manager. For anyone but HR, a narrowed group of
        fewer than MIN_GROUP people is refused as a form error (render_report then shows no figures): figures
        about two or three people, an unlisted alumna among them, tell about each of them."""
        if not self.is_valid():
            return employees
        if self.cleaned_data["team"]:
            employees = employees.filter(team=self.cleaned_data["team"])
        if self.cleaned_data["manager"]:
            employees = employees.filter(manager=self.cleaned_data["manager"])
        narrowed = self.cleaned_data["team"] or self.cleaned_data["manager"]
        if narrowed and not access.is_hr(self.user) and employees[:MIN_GROUP].count() < MIN_GROUP:
            self.add_error(None, SMALL_GROUP)
        return employees


def csv_response(filename, columns, rows):
    writer = csvfiles.Writer()

    def lines():
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def bars(points):
    """A horizontal bar chart as data for the SVG template: (label, value, width in %, y, table row)."""
    top = max((value for _, value, _ in points), default=0) or 1
    return [(label, value, round(180 * value / top, 1), 2 + 8 * i, row) for i, (label, value, row) in enumerate(points)]


@dataclass
class ReportData:
    """A report's figures without the page: what render_report() gives the API (portal.api) instead of HTML,
    so a report is defined once, in its view."""

    slug: str
    title: str
    description: str
    form: forms.Form
    columns: list
    rows: list
    chart: list
    chart_title: str
    page: object = None


# Set on a request by the API (portal.api) to have a report view return its ReportData rather than a page.
DATA_ONLY = "report_data_only"


def chart_points(rows, column, labels=None, label=None):
    """The chart's bars, taken from the table's own rows so the two cannot disagree: (label, row[column], row
    number) for every row, or only for the rows whose first cell is in `labels` (a measure/value table charts
    some of its measures). `label(row)`: the bar's label (default the first cell)."""
    label = label or (lambda row: row[0])
    return [(label(row), int(row[column]), i) for i, row in enumerate(rows) if labels is None or row[0] in labels]


def render_report(request, *, slug, title, description, form, columns, rows, chart_title, chart_column=1,
                  chart_labels=None, chart_label=None, page=None, trend=None):  # fmt: skip
    """`page`: the Paginator page `rows` come from, when the report is paginated (the CSV is not).
    The chart is drawn from `rows` (chart_points): column `chart_column` of every row, or of the rows named
    in `chart_labels`. `trend`: a function giving the report's monthly history (trends.series.shown), shown
    under the table; called only for the page and the trend's CSV (not for the table's CSV or the API)."""
    if form.is_bound and not form.is_valid():
        # Figures for filters that could not be applied would be mislabelled: show none, and the errors.
        rows = []
    if getattr(request, DATA_ONLY, False):
        rows = list(rows)
        chart = [(label, value) for label, value, _ in chart_points(rows, chart_column, chart_labels, chart_label)]
        return ReportData(slug, title, description, form, columns, rows, chart, chart_title, page)
    if request.GET.get("format") == "csv":
        return csv_response(slug, columns, rows)
    trend = trend() if trend is not None else None
    if request.GET.get("format") == "trend-csv" and trend is not None:
        return csv_response(f"{slug}-trend", trend.columns, trend.rows)
    rows = list(rows)
    chart = chart_points(rows, chart_column, chart_labels, chart_label)
    return render(request, "reports/report.html", {
        "title": title, "description": description, "form": form, "columns": columns, "rows": rows,
        # A chart of zeros still draws its rows (bars of no length, each labelled 0), as its table lists them:
        # it once said "No data" above a table of nine managers with nothing overdue.
        "chart": bars(chart), "chart_title": chart_title, "chart_height": 4 + 8 * len(chart),
        "page": page, "showing": form.showing(), "trend": trend,
        "trend_chart": bars(trend.chart) if trend else [],
        "trend_chart_height": 4 + 8 * len(trend.chart) if trend else 0,
    })  # fmt: skip
