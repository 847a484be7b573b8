"""The REST API's routes, /api/v1/ (namespace "api"): each app's resources (its api.py), the OpenAPI schema and
the docs page. The shared plumbing (authentication, pages, rate limits, ETags) is alliance.rest."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from alliance.api import PersonViewSet
from alumni.api import AlumnusViewSet
from networks.api import InsightViewSet
from portal.api import ReportViewSet
from portal.views.api_docs import api_docs
from tours.api import CheckInViewSet, TourViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("tours", TourViewSet, basename="tour")
router.register("checkins", CheckInViewSet, basename="checkin")
router.register("insights", InsightViewSet, basename="insight")
router.register("alumni", AlumnusViewSet, basename="alumnus")
router.register("reports", ReportViewSet, basename="report")

app_name = "api"
urlpatterns = [
    # The schema is read by the docs page (session) and by tools with a token; it says what exists, not who is who.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    *router.urls,
]
