from django.urls import path

from alumni import reports
from alumni.views import leaving, profile, roster

# Included under the "alumni" namespace by config/urls.py, with the export and erasure pages of portal.

urlpatterns = [
    path("", roster.index, name="index"),
    path("roster/", roster.roster, name="roster"),
    path("roster.csv", roster.roster_csv, name="roster_csv"),
    path("directory/", roster.directory, name="directory"),
    path("referrals/", roster.referrals, name="referrals"),
    path("reports/", reports.alumni_report, name="report"),
    path("referrals/<int:pk>/status/", roster.referral_status, name="referral_status"),
    path("me/", profile.me, name="me"),
    path("me/edit/", profile.me_edit, name="me_edit"),
    path("me/refer/", profile.referral_create, name="refer"),
    path("leave/<int:pk>/", leaving.leave, name="leave"),
    path("invitation/<str:token>/", leaving.accept, name="accept"),
    path("<int:pk>/", roster.detail, name="detail"),
    path("<int:pk>/invite/", leaving.invite, name="invite"),
    path("<int:pk>/invitations/<int:invitation_pk>/revoke/", leaving.revoke, name="revoke"),
    path("<int:pk>/rehire/", leaving.rehire, name="rehire"),
]
