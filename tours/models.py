"""Tours of duty: the agreement, its revisions and signatures, check-ins and the outcome.

A Tour is the container; every change of terms is a new TourRevision (read-only once written).
The tour keeps pointers to the latest revision (`current_revision`, under negotiation) and to the
one both parties signed (`agreed_revision`, in force). Its start/end/cadence columns copy the terms
that govern it (agreed if any, else the latest) so lists, reminders and the no-overlap constraint
work on one table.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from alliance.models import CompanyValue, Employee
from alliance.paths import path_for
from tours.querysets import OPEN_STATES, TourQuerySet, TourState
from tours.schedule import checkin_is_overdue, next_due, scheduled_dates

TRANSFORMATIONAL_YEARS = (2, 5)


class Programme(models.Model):
    """An HR-managed template for rotational tours: they take its length, mission and objectives."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    length_months = models.PositiveSmallIntegerField(help_text="Every rotational tour on it lasts this long.")
    default_title = models.CharField(max_length=200, blank=True)
    default_mission = models.TextField(blank=True)
    default_company_gets = models.TextField(blank=True)
    default_employee_gets = models.TextField(blank=True)
    default_objectives = models.TextField(
        blank=True,
        help_text="One objective per line; start a line with “company:” for one the company owns.",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive programmes cannot start new tours.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_months__gte=1, length_months__lte=60), name="programme_length_1_to_60_months"
            )
        ]

    def __str__(self):
        return self.name

    def objective_lines(self):
        for line in self.default_objectives.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.lower().startswith("company:"):
                yield Objective.Side.COMPANY, line[len("company:") :].strip()
            else:
                yield Objective.Side.EMPLOYEE, line.removeprefix("employee:").strip()


class Tour(models.Model):
    class Type(models.TextChoices):
        ROTATIONAL = "rotational", "Rotational"
        TRANSFORMATIONAL = "transformational", "Transformational"
        FOUNDATIONAL = "foundational", "Foundational"

    State = TourState

    class Outcome(models.TextChoices):
        SUCCESSOR = "successor", "Completed, next tour follows"
        PLANNED_DEPARTURE = "planned_departure", "Completed, planned departure"
        ENDED_EARLY = "ended_early", "Ended early"

    class Kept(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    OPEN_STATES = OPEN_STATES

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="tours")
    type = models.CharField(max_length=20, choices=Type.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="tours")
    predecessor = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successor"
    )
    current_revision = models.ForeignKey(
        "TourRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_revision = models.ForeignKey(
        "TourRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Copies of the governing terms (see the module docstring).
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    checkin_months = models.PositiveSmallIntegerField(default=3)
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The earliest check-in due date that both sides have not yet answered (next_checkin_due()); set
    # by the services when the tour becomes agreed, on every check-in, and cleared when it ends.
    checkin_due_on = models.DateField(null=True, blank=True, editable=False)
    # next_tour_conversation(), stored on every save so reports can filter on it in the database.
    next_tour_on = models.DateField(null=True, blank=True, editable=False)
    # The outcome, recorded when the tour ends.
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    end_reason = models.TextField(blank=True)
    company_kept = models.CharField("company kept its promises", max_length=10, choices=Kept.choices, blank=True)
    employee_kept = models.CharField("employee kept their promises", max_length=10, choices=Kept.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TourQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            # The tour list's default order, newest first: a page of 25 walks this index instead of
            # sorting every visible tour (30,000 for HR at 10,000 employees).
            models.Index(fields=["-start_date", "-id"], name="tour_newest_first_idx"),
            # Tour list's "ending within N days" filter and the reminders' scan of agreed tours.
            models.Index(fields=["state", "end_date"], name="tour_state_end_idx"),
            # A person's tours, newest first (person page, "tour in force" lookups).
            models.Index(fields=["employee", "-start_date"], name="tour_employee_start_idx"),
            # The "tours at risk" report: agreed tours whose next-tour conversation is due.
            models.Index(fields=["state", "next_tour_on"], name="tour_state_next_tour_idx"),
            # Overdue check-ins: the HR dashboard's count and the check-ins report (checkin_overdue_on).
            models.Index(fields=["state", "checkin_due_on"], name="tour_state_checkin_due_idx"),
            # "No successor agreed" (at-risk report, HR dashboard): PostgreSQL hashes every tour that has an
            # agreed or completed successor; from this index instead of a scan of all 30,000 tours (18 -> 1 ms).
            models.Index(
                fields=["predecessor"], condition=Q(state__in=["agreed", "completed"]), name="tour_successor_done_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")), name="tour_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(type="foundational") | Q(end_date__isnull=True),
                name="tour_foundational_has_no_end",
            ),
            models.CheckConstraint(
                condition=Q(type="foundational") | Q(end_date__isnull=False), name="tour_others_have_an_end"
            ),
            models.CheckConstraint(condition=Q(checkin_months__gte=1), name="tour_checkin_cadence_positive"),
            # PostgreSQL also has tour_no_overlapping_agreement (migration 0002): an exclusion
            # constraint so one employee never has two agreed tours covering the same day.
        ]

    def __str__(self):
        return f"{self.title} ({self.employee})"

    def save(self, *args, **kwargs):
        self.next_tour_on = self.next_tour_conversation()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "next_tour_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_for("tours:detail", self.pk)

    @property
    def manager(self):
        """The employee's manager is the other party to the agreement."""
        return self.employee.manager

    @property
    def amendment_pending(self):
        return self.state == self.State.AGREED and self.current_revision_id != self.agreed_revision_id

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    @property
    def is_editable(self):
        return self.is_open

    @property
    def is_deletable(self):
        """Only a draft: once proposed, the other side has been told and may have signed."""
        return self.state == self.State.DRAFT and not self.agreed_revision_id

    def next_tour_conversation(self):
        """When 20% of the term remains, and at least 90 days before the end. None if open-ended."""
        if self.end_date is None:
            return None
        term = (self.end_date - self.start_date).days
        return self.end_date - datetime.timedelta(days=max(round(term * 0.2), 90))

    def checkin_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.state == self.State.AGREED
            and self.checkin_due_on is not None
            and checkin_is_overdue(self.checkin_due_on, today)
        )

    def next_checkin_due(self, answered):
        """The earliest due date not answered by both sides, from `answered`: (due_on, side) pairs of
        the tour's check-ins. A half-answered date off the schedule (the cadence was amended) counts
        too, as on the timeline. None when every due date up to the end is answered."""
        return next_due(self.start_date, self.end_date, self.checkin_months, answered, len(Signature.Role.values))

    def checkin_dates(self, until=None):
        """Check-in due dates from the start, every `checkin_months`, up to the end (or `until`)."""
        last = self.end_date or until or timezone.localdate()
        if until is not None:
            last = min(last, until)
        return scheduled_dates(self.start_date, self.checkin_months, last)


class TourRevision(models.Model):
    """One version of the terms. Written once, never edited: a change is a new revision."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=200)
    mission = models.TextField(help_text="The concrete objective of the tour, in a sentence or two.")
    company_gets = models.TextField(
        "what the company gets", help_text="Deliverables, and how the business is transformed."
    )
    employee_gets = models.TextField(
        "what the employee gets", help_text="Skills, knowledge, experiences, relationships, reputation."
    )
    company_invests = models.TextField(
        "what the company invests", blank=True, help_text="Training, coaching, budget, exposure."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    checkin_months = models.PositiveSmallIntegerField(
        "check-in every (months)", default=3, help_text="Quarterly is 3; foundational reviews default to 12."
    )
    length_reason = models.TextField(
        blank=True, help_text="Needed when a transformational tour is shorter than 2 or longer than 5 years."
    )
    values = models.ManyToManyField(CompanyValue, blank=True, related_name="tour_revisions")
    aspirations_served = models.TextField(
        "employee aspirations served", blank=True, help_text="Which of the employee's aspirations this tour serves."
    )

    class Meta:
        ordering = ["tour", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "number"], name="revision_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")), name="revision_end_after_start"
            ),
        ]

    def __str__(self):
        return f"Revision {self.number} of {self.tour_id}"


class Objective(models.Model):
    class Side(models.TextChoices):
        COMPANY = "company", "Company"
        EMPLOYEE = "employee", "Employee"

    revision = models.ForeignKey(TourRevision, on_delete=models.CASCADE, related_name="objectives")
    side = models.CharField("owned by", max_length=10, choices=Side.choices, default=Side.EMPLOYEE)
    description = models.CharField(max_length=300)
    measure = models.CharField("leading indicator", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The same objective across revisions: the id of the row it continues (its first version), none for a new
    # one. The edit form carries each row's id, so a three-way merge (tours.merge) matches objectives by who
    # they are, not by where they stand.
    lineage = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.description

    @property
    def identity(self):
        """Which objective this is, whatever its revision: the same for every version of it."""
        return self.lineage or self.pk


class Signature(models.Model):
    """A party's signature on one revision. Signatures on older revisions no longer count."""

    class Role(models.TextChoices):
        EMPLOYEE = "employee", "Employee"
        MANAGER = "manager", "Manager"

    revision = models.ForeignKey(TourRevision, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=10, choices=Role.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["revision", "role"], name="signature_one_per_role")]

    def __str__(self):
        return f"{self.get_role_display()} signed revision {self.revision.number}"


class Comment(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


class CheckIn(models.Model):
    """One side's check-in for one due date: progress per objective and whether the other side keeps its promises."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="checkins")
    revision = models.ForeignKey(TourRevision, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    side = models.CharField(max_length=10, choices=Signature.Role.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    other_side_keeping = models.CharField(
        "is the other side keeping its promises so far?", max_length=10, choices=Tour.Kept.choices
    )
    note = models.TextField(blank=True)
    # The day the two sides met, when the check-in was recorded from the 1:1 workspace ("We met").
    met_on = models.DateField("met on", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [models.UniqueConstraint(fields=["tour", "due_on", "side"], name="checkin_one_per_side_per_due")]

    def __str__(self):
        return f"{self.get_side_display()} check-in due {self.due_on}"


class CheckInProgress(models.Model):
    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="progress")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    note = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return self.get_status_display()


class SentReminder(models.Model):
    """Each time-based reminder once: the unique key makes send_reminders safe to run as often as cron likes."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=30, help_text="What the reminder is about, e.g. the due date.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tour", "kind", "key"], name="reminder_sent_once")]

    def __str__(self):
        return f"{self.kind} {self.key}"
