from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from alliance.models import CompanyValue, Employee, Notification, Organization, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class CompanyValueInline(admin.TabularInline):
    model = CompanyValue
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    inlines = [CompanyValueInline]


class DepartedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Employee.Status.choices

    def queryset(self, request, queryset):
        if self.value() == Employee.Status.ACTIVE:
            return queryset.active()
        if self.value() == Employee.Status.DEPARTED:
            return queryset.departed()
        return queryset


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["full_name", "employee_number", "job_title", "team", "manager", "hire_date", "departure_date"]
    list_filter = [DepartedFilter, "team", "hire_date"]
    search_fields = ["first_name", "last_name", "employee_number", "user__email", "job_title"]
    list_select_related = ["team", "manager", "user"]
    autocomplete_fields = ["user", "manager", "team"]
    date_hierarchy = "hire_date"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["user__email", "message"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
