"""The API's reports: every report's figures, as its page computes them.

One definition: the API calls the report's own view (tours/reports.py, networks/reports.py, alumni/reports.py)
with the request marked DATA_ONLY, and render_report() hands back the columns and rows instead of the page. So
the access rules (scope(): HR everyone, a manager their subtree), the filters and the small-group refusal are
the page's. The list is the reports this user may open (portal.reports.reports_for)."""

from django.http import Http404
from django.urls import resolve, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from alliance.reporting import DATA_ONLY
from alliance.rest import ApiViewSet, form_errors
from portal.reports import ALL_REPORTS


def slug_of(report):
    """tours:report_at_risk → tours-at-risk; networks:report → networks."""
    app, name = report.url_name.split(":")
    return "-".join(filter(None, [app, name.removeprefix("report").strip("_").replace("_", "-")]))


BY_SLUG = {slug_of(report): report for report in ALL_REPORTS}


class ReportSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()


class ChartPointSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField()


class ReportPageSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    has_next = serializers.BooleanField()


class ReportDataSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    showing = serializers.CharField(help_text="The filters in force, in words")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    chart_title = serializers.CharField()
    chart = ChartPointSerializer(many=True)
    page = ReportPageSerializer(allow_null=True, help_text="Reports with a row per manager: ?page=N")


REPORT_FILTERS = [
    OpenApiParameter("team", OpenApiTypes.INT, description="A team's id"),
    OpenApiParameter("manager", OpenApiTypes.STR, description="Their direct reports: an employee number or email"),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Reports over time"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Reports over time"),
    OpenApiParameter("page", OpenApiTypes.INT, description="The check-ins report: 25 managers a page"),
]


class ReportViewSet(ApiViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[a-z-]{1,40}"
    pagination_class = None  # a handful of reports; a report's rows are paged by the report itself

    @extend_schema(summary="The reports you may open", responses=ReportSerializer(many=True))
    def list(self, request):
        reports = [
            {"slug": slug, "title": report.title, "description": report.description}
            for slug, report in BY_SLUG.items()
            if report.allows(request.user)
        ]
        return Response(ReportSerializer(reports, many=True).data)

    @extend_schema(
        summary="One report's figures, with the page's filters",
        responses=ReportDataSerializer,
        parameters=REPORT_FILTERS,
    )
    def retrieve(self, request, slug):
        report = BY_SLUG.get(slug)
        if report is None:
            raise Http404("No such report.")
        if not report.allows(request.user):
            raise exceptions.PermissionDenied("Reports are for managers and HR.")
        page_request = request._request
        setattr(page_request, DATA_ONLY, True)
        data = resolve(reverse(report.url_name)).func(page_request)
        if data.form.is_bound and not data.form.is_valid():
            raise form_errors(data.form)
        page = data.page
        return Response(
            ReportDataSerializer(
                {
                    "slug": slug,
                    "title": data.title,
                    "description": data.description,
                    "showing": data.form.showing(),
                    "columns": data.columns,
                    "rows": [list(row) for row in data.rows],
                    "chart_title": data.chart_title,
                    "chart": [{"label": str(label), "value": value} for label, value in data.chart],
                    "page": None if page is None else {"number": page.number, "has_next": page.has_next()},
                }
            ).data
        )
