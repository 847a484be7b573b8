"""The Django admin's site, refusing staff who are not employed today: departed people, and starters before their
first day (the admin is otherwise gated on is_staff alone). It signs no one in itself: the site's sign-in page does."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from alliance.roles import roles_of


class AllianceAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # A departure ends staff access on its date, before the daily step clears is_staff; a starter's begins on
        # their first day, as every other page but the welcome page and their first tour.
        roles = roles_of(request.user)
        return super().has_permission(request) and not roles.departed and not roles.starter

    def login(self, request, extra_context=None):
        """The site's sign-in page, not the admin's own form: that form signs in with a password alone, past the
        second factor (signin.stages) and SSO_ONLY. A signed-in person the admin refuses still reads why (GET)."""
        if request.method == "GET" and request.user.is_authenticated:
            return super().login(request, extra_context)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: next_url}, safe='/')}")


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"
