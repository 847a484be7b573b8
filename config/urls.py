from allauth.account import views as allauth_account_views
from allauth.socialaccount import views as allauth_social_views
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.defaults import server_error

from alliance.views import accounts, design, notifications, pages, people, tokens
from alumni import urls as alumni_urls
from alumni.views import leaving
from portal.views import dashboard, horizon, privacy, reports
from portal.views import notifications as notification_centre
from portal.views import people as person_page
from signin import views as signin_views

people_patterns = (
    [
        path("", people.people_list, name="list"),
        path("new/", people.person_create, name="create"),
        path("search/", people.person_search, name="search"),
        path("import/", people.import_upload, name="import"),
        path("import/apply/", people.import_apply, name="import_apply"),
        path("import/<int:pk>/", people.import_status, name="import_status"),
        path("import/<int:pk>/send-links/", people.import_send_links, name="import_send_links"),
        path("import/<int:pk>/retry/", people.import_retry, name="import_retry"),
        path("<int:pk>/", person_page.person_detail, name="detail"),
        path("<int:pk>/edit/", people.person_edit, name="edit"),
        path("<int:pk>/send-link/", people.person_send_link, name="send_link"),
        path("<int:pk>/undo-departure/", leaving.person_undo_departure, name="undo_departure"),
    ],
    "people",
)

# The alumni app's pages, plus an alumna's export and erasure, which reach into every app (portal.privacy).
alumni_patterns = (
    [
        path("me/export.json", privacy.me_export, name="me_export"),
        path("me/delete/", privacy.me_delete, name="me_delete"),
        *alumni_urls.urlpatterns,
    ],
    "alumni",
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("company/", pages.company, name="company"),
    path("company/edit/", pages.company_edit, name="company_edit"),
    path("healthz", pages.healthz, name="healthz"),
    path("notifications/", notification_centre.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read/", notifications.notification_read_all, name="notification_read_all"),
    path("people/", include(people_patterns)),
    path("reports/", reports.report_index, name="reports"),
    path("horizon/", horizon.horizon, name="horizon"),
    path("design/", design.design_specimen, name="design"),
    path("tours/", include("tours.urls")),
    path("meetings/", include("meetings.urls")),
    path("networks/", include("networks.urls")),
    path("alumni/", include(alumni_patterns)),
    path("audit/", include("audit.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("calendar/", include("calendars.urls")),
    path("account/", accounts.account, name="account"),
    path("account/tokens/", tokens.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("account/email/", accounts.account_mail, name="account_mail"),
    path("accounts/activate/<str:token>/", accounts.activate, name="activate"),
    path("accounts/login/", signin_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("api/v1/", include("config.api")),
    # Company sign-in (signin app, allauth): the code steps (signing in, confirming it is you) behind the sign-in
    # throttle, allauth's two-factor pages, the identity provider's login and callback
    # (/accounts/oidc/sso/login/callback/), and the few allauth pages they lead to. Not the rest of allauth's account
    # pages (sign-up, email management): HR owns accounts.
    path("accounts/2fa/authenticate/", signin_views.second_factor_authenticate, name="signin_mfa_authenticate"),
    path("accounts/2fa/reauthenticate/", signin_views.second_factor_reauthenticate, name="signin_mfa_reauthenticate"),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/reauthenticate/", allauth_account_views.reauthenticate, name="account_reauthenticate"),
    path(
        "accounts/social/login/cancelled/", allauth_social_views.login_cancelled, name="socialaccount_login_cancelled"
    ),
    path("accounts/social/login/error/", allauth_social_views.login_error, name="socialaccount_login_error"),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    # The names allauth's templates and flows reverse, for the app's own sign-in and sign-out pages.
    path("accounts/login/", signin_views.SignInView.as_view(), name="account_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="account_change_password"),
    path("", include("signin.urls")),
    path("admin/", admin.site.urls),
    # SCIM 2.0 provisioning from the identity provider (token only; scim/views.py).
    path("scim/v2/", include("scim.urls")),
]

if settings.DEBUG:
    # Lets the 500 page be seen in development.
    urlpatterns.append(path("500/", server_error))
