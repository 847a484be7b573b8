from django.contrib import admin

from alumni.models import AlumniProfile, Departure, Invitation, ProfileReminder, Referral, Rehire


@admin.register(AlumniProfile)
class AlumniProfileAdmin(admin.ModelAdmin):
    list_display = ["employee", "tier", "current_employer", "location", "listed", "updated_at"]
    list_filter = ["tier", "listed", "open_to_returning", "mentoring", "referring"]
    search_fields = ["employee__first_name", "employee__last_name", "current_employer", "location"]
    list_select_related = ["employee"]
    raw_id_fields = ["employee"]


@admin.register(Departure)
class DepartureAdmin(admin.ModelAdmin):
    list_display = ["employee", "departure_date", "reason", "rehire_eligible"]
    list_filter = ["reason", "rehire_eligible"]
    search_fields = ["employee__first_name", "employee__last_name"]
    raw_id_fields = ["employee", "recorded_by"]
    date_hierarchy = "departure_date"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["employee", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash"]
    raw_id_fields = ["employee", "sent_by"]
    search_fields = ["employee__last_name"]


@admin.register(Rehire)
class RehireAdmin(admin.ModelAdmin):
    list_display = ["employee", "rehired_on", "confirmed_ineligible"]
    raw_id_fields = ["employee", "departure", "by"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["candidate_name", "role_of_interest", "referrer", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["candidate_name", "role_of_interest"]
    raw_id_fields = ["referrer"]


admin.site.register(ProfileReminder)
