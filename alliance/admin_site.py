"""The Django admin's site, refusing departed staff (the admin is otherwise gated on is_staff alone)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from alliance.roles import roles_of


class AllianceAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # A departure ends staff access on its date, before the daily step clears is_staff.
        return super().has_permission(request) and not roles_of(request.user).departed


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"
