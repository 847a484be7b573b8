from django.contrib import admin

from networks.models import Attendance, Contribution, Event, FundBudget, FundPolicy, FundSpend, Tag


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["title", "contributor", "kind", "visibility", "rating", "acted_on", "created_at"]
    list_filter = ["kind", "visibility", "acted_on", "rating", "contributor__team"]
    search_fields = ["title", "insight", "contributor__first_name", "contributor__last_name"]
    list_select_related = ["contributor"]
    raw_id_fields = ["contributor", "tour", "rated_by"]
    filter_horizontal = ["tags"]
    date_hierarchy = "created_at"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


admin.site.register(FundPolicy)


@admin.register(FundBudget)
class FundBudgetAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "amount"]
    list_filter = ["year"]
    search_fields = ["employee__first_name", "employee__last_name", "employee__employee_number"]
    raw_id_fields = ["employee", "set_by"]


@admin.register(FundSpend)
class FundSpendAdmin(admin.ModelAdmin):
    list_display = ["employee", "spent_on", "amount", "currency", "what"]
    list_filter = ["what", "currency"]
    search_fields = ["employee__first_name", "employee__last_name", "note"]
    list_select_related = ["employee"]
    raw_id_fields = ["employee", "contributions"]
    date_hierarchy = "spent_on"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ["employee"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "place", "outside_guests"]
    list_filter = ["kind"]
    search_fields = ["title", "place", "description"]
    raw_id_fields = ["created_by"]
    inlines = [AttendanceInline]
    date_hierarchy = "date"
