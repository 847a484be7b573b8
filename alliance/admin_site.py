"""The Django admin's site, refusing staff who are not employed today: departed people, and starters before their
first day (the admin is otherwise gated on is_staff alone)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from alliance.roles import roles_of


class AllianceAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # A departure ends staff access on its date, before the daily step clears is_staff; a starter's begins on
        # their first day, as every other page but the welcome page and their first tour.
        roles = roles_of(request.user)
        return super().has_permission(request) and not roles.departed and not roles.starter


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"
