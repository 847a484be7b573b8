from django.contrib import admin

from tours.models import (
    CheckIn,
    CheckInProgress,
    Comment,
    Objective,
    Programme,
    SentReminder,
    Signature,
    Tour,
    TourRevision,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "length_months", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]


class RevisionInline(admin.TabularInline):
    model = TourRevision
    fields = ["number", "title", "start_date", "end_date", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ["title", "employee", "type", "state", "start_date", "end_date", "outcome"]
    list_filter = ["type", "state", "outcome", "programme", "employee__team"]
    search_fields = ["title", "employee__first_name", "employee__last_name", "employee__employee_number"]
    list_select_related = ["employee"]
    raw_id_fields = ["employee", "predecessor", "current_revision", "agreed_revision", "created_by"]
    date_hierarchy = "start_date"
    inlines = [RevisionInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    raw_id_fields = ["signer"]


@admin.register(TourRevision)
class TourRevisionAdmin(admin.ModelAdmin):
    list_display = ["tour", "number", "title", "author", "created_at"]
    search_fields = ["title", "tour__title", "tour__employee__last_name"]
    list_select_related = ["tour", "author"]
    raw_id_fields = ["tour", "author"]
    inlines = [ObjectiveInline, SignatureInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["tour", "author", "created_at"]
    search_fields = ["body", "tour__title"]
    list_select_related = ["tour", "author"]
    raw_id_fields = ["tour", "author"]


class ProgressInline(admin.TabularInline):
    model = CheckInProgress
    extra = 0
    raw_id_fields = ["objective"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["tour", "due_on", "side", "other_side_keeping", "author"]
    list_filter = ["side", "other_side_keeping"]
    search_fields = ["tour__title", "note"]
    list_select_related = ["tour", "author"]
    raw_id_fields = ["tour", "revision", "author"]
    inlines = [ProgressInline]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["tour", "kind", "key", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["tour__title"]
    raw_id_fields = ["tour"]
