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


class RecordAdmin(admin.ModelAdmin):
    """A record of what was agreed or said: revisions, signatures and check-ins are never edited or deleted here.
    Changes go through the services, which keep the revision history and the audit trail honest."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "length_months", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]


class RevisionInline(RecordInline):
    model = TourRevision
    fields = ["number", "title", "start_date", "end_date", "author", "created_at"]
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

    # A tour is viewed here, never edited: its title, dates and check-in rhythm mirror its current revision, its
    # person, type and programme are fixed when it is proposed, its state, end and outcome move only through
    # tours.services (signing, amending, ending), which keep the revisions, the audit trail and the events
    # (tour.ended: an end edited here would leave the webhooks' subscribers the old date) honest.
    def has_add_permission(self, request):
        return False  # a tour starts as a draft through the app, with its first revision

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a tour's revisions are its record; a draft is deleted in the app ("Delete draft")


class ObjectiveInline(RecordInline):
    model = Objective


class SignatureInline(RecordInline):
    model = Signature


@admin.register(TourRevision)
class TourRevisionAdmin(RecordAdmin):
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


class ProgressInline(RecordInline):
    model = CheckInProgress


@admin.register(CheckIn)
class CheckInAdmin(RecordAdmin):
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
