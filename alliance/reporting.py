"""What every report shares: who may see it, the filters, a chart, the table and its CSV.

A report is a view that builds `columns` and `rows` (tuples, computed by database aggregation)
and a chart (label, value) list, then calls `render_report()`. The same rows feed the table and
the CSV, so the CSV is exactly what the page shows; the CSV is streamed row by row."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render

from alliance import access, csvfiles
from alliance.forms import DateField, FilterForm, PersonField
from alliance.models import Employee, Team

REPORT_PAGE_SIZE = 25  # rows per page where a report has a row per person or manager
# The smallest group a filter may narrow a report to, for anyone but HR.
MIN_GROUP = 5
SMALL_GROUP = (
    f"These filters pick fewer than {MIN_GROUP} people: figures about so few would be about each of them. "
    "Widen the filters (another team, a manager higher up) to see figures."
)
HR, MANAGER = "hr", "manager"


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
    """A horizontal bar chart as data for the SVG template: (label, value, width in %, y)."""
    top = max((value for _, value in points), default=0) or 1
    return [(label, value, round(180 * value / top, 1), 2 + 8 * i) for i, (label, value) in enumerate(points)]


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


def render_report(request, *, slug, title, description, form, columns, rows, chart, chart_title, page=None):
    """`page`: the Paginator page `rows` come from, when the report is paginated (the CSV is not)."""
    if form.is_bound and not form.is_valid():
        # Figures for filters that could not be applied would be mislabelled: show none, and the errors.
        rows, chart = [], []
    if getattr(request, DATA_ONLY, False):
        return ReportData(slug, title, description, form, columns, list(rows), list(chart), chart_title, page)
    rows = list(rows) if request.GET.get("format") != "csv" else rows
    if request.GET.get("format") == "csv":
        return csv_response(slug, columns, rows)
    return render(request, "reports/report.html", {
        "title": title, "description": description, "form": form, "columns": columns, "rows": rows,
        "chart": bars(chart), "chart_title": chart_title, "chart_height": 4 + 8 * len(chart),
        # Bars of zero length draw an empty frame: the page says so in words instead.
        "chart_empty": not any(value for _, value in chart),
        "page": page, "showing": form.showing(),
    })  # fmt: skip
