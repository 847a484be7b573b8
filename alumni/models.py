"""Alumni: how people leave, their self-service profile, invitations, boomerangs and referrals.

One person keeps one User and one Employee from hire to alumnus and back: these tables add to it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from alliance.models import Employee, OneTimeLink, hash_token  # noqa: F401 (hash_token: used by callers)
from alliance.roles import roles_of

STALE_AFTER = datetime.timedelta(days=365)
INVITATION_DAYS = 14


# Listed in the directory: a member of the network (accepted the invitation) who chose to be listed.
LISTED = Q(listed=True, joined_at__isnull=False)


class ProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """HR: every profile. An alumnus: their own, plus the directory. Employees: the directory."""
        roles = roles_of(user)
        if roles.hr:
            return self
        me = roles.person
        if me is None:
            return self.none()
        if roles.employee or roles.alumnus:
            return self.filter(LISTED | Q(employee=me))
        return self.none()

    def departed(self, on=None):
        """The alumni: people who have left by `on` (default today). A profile is opened when a departure is
        recorded, which may be ahead of its date."""
        on = on or timezone.localdate()
        # As Employee.objects.departed(): a boomerang whose return has started is employed again, even before
        # the daily apply_lifecycle_dates clears the old departure date.
        return self.filter(employee__departure_date__lte=on).exclude(employee__returns_on__lte=on)

    def members(self):
        """Alumni who accepted the invitation to the network."""
        return self.filter(joined_at__isnull=False)

    def in_directory(self):
        """The alumni directory: departed members who chose to be listed."""
        return self.filter(LISTED).departed()

    def stale(self, now=None):
        return self.filter(updated_at__lt=(now or timezone.now()) - STALE_AFTER)


class AlumniProfile(models.Model):
    class Tier(models.TextChoices):
        ALUMNI = "alumni", "Alumni"
        DISTINGUISHED = "distinguished", "Distinguished alumni"

    INTERESTS = [
        ("open_to_returning", "Open to returning"),
        ("referring", "Referring candidates"),
        ("mentoring", "Mentoring"),
        ("customer_or_partner", "Being a customer or partner"),
        ("events", "Events"),
        ("newsletter", "Newsletter"),
    ]

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="alumni_profile")
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.ALUMNI)
    current_employer = models.CharField(max_length=200, blank=True)
    current_title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    personal_email = models.EmailField(blank=True)
    profile_url = models.URLField("public profile link", blank=True)
    # Interests are six yes/no answers: booleans filter simply and index well.
    open_to_returning = models.BooleanField(default=False)
    referring = models.BooleanField(default=False)
    mentoring = models.BooleanField(default=False)
    customer_or_partner = models.BooleanField(default=False)
    events = models.BooleanField(default=False)
    newsletter = models.BooleanField(default=False)
    note = models.TextField("a short note", max_length=1000, blank=True)
    listed = models.BooleanField("list me in the alumni directory", default=False)
    show_personal_email = models.BooleanField("show my personal email in the directory", default=False)
    show_profile_url = models.BooleanField("show my profile link in the directory", default=False)
    joined_at = models.DateTimeField(null=True, blank=True, help_text="When they accepted the invitation.")
    updated_at = models.DateTimeField(default=timezone.now, help_text="Last time the alumnus updated it.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["employee__last_name", "employee__first_name"]
        indexes = [
            models.Index(fields=["updated_at"], name="profile_updated_idx"),  # the stale filter
            models.Index(fields=["current_employer"], name="profile_employer_idx"),
        ]

    def __str__(self):
        return f"Alumni profile of {self.employee}"

    @property
    def is_stale(self):
        return self.updated_at < timezone.now() - STALE_AFTER

    def interest_labels(self):
        return [label for field, label in self.INTERESTS if getattr(self, field)]


class Departure(models.Model):
    class Reason(models.TextChoices):
        END_OF_TOUR = "end_of_tour", "End of tour, as planned"
        RESIGNED = "resigned", "Resigned mid-tour"
        OTHER = "other", "Other"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="departures")
    departure_date = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    exit_notes = models.TextField("exit conversation notes", blank=True)
    rehire_eligible = models.BooleanField(null=True, help_text="HR only: never shown to the alumnus or managers.")
    rehire_reason = models.TextField(blank=True, help_text="HR only.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The person's departure in force; a rehire closes it, so a boomerang may leave again later.
    is_current = models.BooleanField(default=True)
    # When the daily step (or the offboarding itself, for a departure today) removed staff status,
    # groups, permissions and sessions: set once, which makes the step idempotent.
    access_removed_at = models.DateTimeField(null=True, blank=True)
    # Invite them to the alumni network when the departure takes effect: at once for a departure dated today or
    # earlier, on its date (departures_apply) for one recorded in advance. Nobody still working is invited.
    invite = models.BooleanField(default=False)

    class Meta:
        ordering = ["-departure_date", "-id"]
        constraints = [
            # Recording the same departure twice (two clicks, two tabs) made two rows and two invitations.
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(is_current=True), name="departure_one_current_per_employee"
            ),
        ]
        indexes = [
            # The daily step: current departures due whose access is not removed yet.
            models.Index(
                fields=["departure_date"],
                condition=models.Q(is_current=True, access_removed_at__isnull=True),
                name="departure_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.employee} left on {self.departure_date}"


def departure_already_recorded(employee):
    """The refusal of a second departure, shared by the offboarding form and service."""
    return f"{employee.full_name} already has a departure recorded on {employee.departure_date:%d %b %Y}."


class Invitation(OneTimeLink):
    """A single-use link to join the alumni network."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="alumni_invitations")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.employee}"

    @property
    def state(self):
        """As any one-time link, and closed ("revoked") unless the person has left by today and is not coming
        back: an employee, a starter or a boomerang with a rehire recorded does not join the alumni."""
        state = super().state
        if state == "open" and (not self.employee.has_left() or self.employee.returns_on is not None):
            return "revoked"
        return state


class Rehire(models.Model):
    """A boomerang: the same person employed again."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="rehires")
    rehired_on = models.DateField()
    departure = models.ForeignKey(Departure, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_ineligible = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.employee} rehired on {self.rehired_on}"


class Referral(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        HIRED = "hired", "Hired"
        DECLINED = "declined", "Declined"

    referrer = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, related_name="referrals")
    candidate_name = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, help_text="An email or phone number the candidate agreed to share.")
    role_of_interest = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="referral_status_idx")]

    def __str__(self):
        return f"Referral of {self.candidate_name}"


class ProfileReminder(models.Model):
    """A stale-profile reminder, at most one per profile per quarter (the unique key)."""

    profile = models.ForeignKey(AlumniProfile, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=7)  # e.g. 2026-Q4
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "quarter"], name="profile_reminder_per_quarter")]

    def __str__(self):
        return f"{self.profile_id} {self.quarter}"
