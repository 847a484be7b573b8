from django.urls import path

from tours import reports
from tours.views import agreement, lists, serving

app_name = "tours"

urlpatterns = [
    path("", lists.tour_list, name="index"),
    path("new/", agreement.tour_create, name="create"),
    path("reports/at-risk/", reports.tours_at_risk, name="report_at_risk"),
    path("reports/coverage/", reports.coverage, name="report_coverage"),
    path("reports/outcomes/", reports.outcomes, name="report_outcomes"),
    path("reports/check-ins/", reports.checkins, name="report_checkins"),
    path("programmes/", lists.programme_list, name="programmes"),
    path("programmes/new/", lists.programme_edit, name="programme_create"),
    path("programmes/<int:pk>/", lists.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/delete/", lists.programme_delete, name="programme_delete"),
    path("<int:pk>/", agreement.tour_detail, name="detail"),
    path("<int:pk>/print/", agreement.tour_print, name="print"),
    path("<int:pk>/edit/", agreement.tour_edit, name="edit"),
    path("<int:pk>/propose/", agreement.tour_propose, name="propose"),
    path("<int:pk>/sign/", agreement.tour_sign, name="sign"),
    path("<int:pk>/comment/", agreement.tour_comment, name="comment"),
    path("<int:pk>/compare/", agreement.tour_compare, name="compare"),
    path("<int:pk>/delete/", agreement.tour_delete, name="delete"),
    path("<int:pk>/check-in/", serving.tour_check_in, name="check_in"),
    path("<int:pk>/next/", serving.tour_plan_next, name="plan_next"),
    path("<int:pk>/end/", serving.tour_end, name="end"),
]
