import hashlib

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from alliance import tree
from alliance.background import DigestSent, OutgoingEmail, ResetRequest, WorkerHeartbeat  # noqa: F401 (registered with this app)
from alliance.paths import path_for
from alliance.querysets import EmployeeQuerySet, erased_email
from alliance.tokens import ApiToken, ApiTokenUse  # noqa: F401 (registered with this app)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        # Sign-in is case-insensitive on the email address.
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A sign-in. One per person, kept from hire to alumnus."""

    class Mail(models.TextChoices):
        """How often the person wants email about what the app tells them (alliance.notifications). Mail that
        needs an action today (a tour to sign) is sent at once whatever this says."""

        IMMEDIATE = "immediate", "Immediately: one email for each notification"
        DAILY = "daily", "Daily digest: one email a day"
        WEEKLY = "weekly", "Weekly digest: one email a week"
        OFF = "off", "Off: no digest and no reminders by email"

    username = None
    email = models.EmailField("email address", unique=True)
    mail = models.CharField("email me", max_length=10, choices=Mail.choices, default=Mail.WEEKLY)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    """The company: a single row holding its mission."""

    name = models.CharField(max_length=200, default="Our company")
    mission = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name

    @classmethod
    def load(cls):
        org, _ = cls.objects.get_or_create(pk=1)
        return org


class CompanyValue(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="company_value_unique_name"),
        ]

    def __str__(self):
        return self.name


class Employee(models.Model):
    """A person the company employs or employed. Status follows the departure date."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        STARTING = "starting", "Starting later"
        REJOINING = "rejoining", "Rejoining"
        DEPARTED = "departed", "Departed"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="employee")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    employee_number = models.CharField(max_length=30, unique=True)
    job_title = models.CharField(max_length=150, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    manager = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")
    hire_date = models.DateField()
    departure_date = models.DateField(null=True, blank=True)
    # A boomerang rehired with a future start: employed again from this day (see employed_on); the
    # daily step (apply_lifecycle_dates) then clears both dates and makes the new title and manager theirs.
    returns_on = models.DateField(null=True, blank=True)
    returns_as = models.CharField(max_length=150, blank=True, help_text="The job title from returns_on.")
    returns_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The manager from returns_on.",
    )
    # Alignment (domain.md, "Align"): the employee's side of the overlap with the company.
    core_values = models.TextField(blank=True, help_text="What matters most to this person at work.")
    aspirations = models.TextField(blank=True, help_text="The job they want after this one, and beyond.")
    post_company_goal = models.TextField(
        blank=True, help_text="What they want to do after this company. Seen only by them, their managers and HR."
    )
    # The identity provider's id for this person (SCIM `externalId`, scim/): set by provisioning, unique when set.
    external_id = models.CharField(max_length=255, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The ids from the top of the reporting line down to this person, "/1/75/300/": derived from manager,
    # kept by save() and alliance.tree (which says why a path and not a recursive query).
    tree_path = models.CharField(max_length=2000, default="", editable=False)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        permissions = [("hr", "HR staff: sees and manages everyone and everything")]
        indexes = [
            # The people directory's default ordering and its name search prefix.
            models.Index(fields=["last_name", "first_name", "id"], name="employee_name_idx"),
            # A manager's direct reports (direct_reports_of, report counts), with the id for index-only probes.
            models.Index(fields=["manager", "id"], name="employee_manager_id_idx"),
            # Everyone below a manager: tree_path LIKE '/1/75/%' (varchar_pattern_ops makes LIKE use it on
            # PostgreSQL whatever the collation; SQLite ignores the operator class).
            models.Index(fields=["tree_path"], name="employee_tree_path_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(manager=F("pk")), name="employee_not_own_manager"),
            # One person per identity-provider id; also the index SCIM's `externalId eq "…"` filter reads.
            models.UniqueConstraint(
                fields=["external_id"], condition=Q(external_id__isnull=False), name="employee_external_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(departure_date__isnull=True) | Q(departure_date__gte=F("hire_date")),
                name="employee_departure_after_hire",
            ),
            models.CheckConstraint(
                condition=Q(returns_on__isnull=True) | Q(returns_on__gt=F("departure_date")),
                name="employee_returns_after_departure",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        with transaction.atomic():  # the row and its place in the reporting line (and its subtree's), or neither
            super().save(*args, **kwargs)
            tree.place(self)

    def get_absolute_url(self):
        return path_for("people:detail", self.pk)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self):
        return self.user.email

    @property
    def is_erased(self):
        """Their personal data was erased at their request (portal.privacy.erase): needs the user loaded."""
        return self.user.email == erased_email(self.user_id)

    def is_active_on(self, day=None):
        day = day or timezone.localdate()
        if self.returns_on is not None and self.returns_on <= day:
            return True
        if self.hire_date is not None and self.hire_date > day:
            return False  # starts later
        return self.departure_date is None or self.departure_date > day

    def starts_later(self, day=None):
        """Hired with a start date still ahead: may sign in to a welcome page and read a first tour. A departure
        already recorded (a fixed term) does not change that until its date (EmployeeQuerySet.starting, the same
        rule in SQL)."""
        day = day or timezone.localdate()
        return (
            self.hire_date is not None
            and self.hire_date > day
            and (self.departure_date is None or self.departure_date > day)
        )

    def has_left(self, day=None):
        """Neither employed on `day` nor starting later."""
        return not (self.is_active_on(day) or self.starts_later(day))

    @property
    def status(self):
        if self.is_active_on():
            return self.Status.ACTIVE
        if self.starts_later():
            return self.Status.STARTING
        return self.Status.REJOINING if self.returns_on else self.Status.DEPARTED

    def get_status_display(self):
        """ "Active", "Departed", "Starts on 5 Jan 2027", "Rejoins on 5 Jan 2027 as Designer"."""
        status = self.status
        if status == self.Status.STARTING:
            return f"Starts on {self.hire_date:%d %b %Y}"
        if status == self.Status.REJOINING:
            title = self.returns_as or self.job_title
            return f"Rejoins on {self.returns_on:%d %b %Y}" + (f" as {title}" if title else "")
        return self.Status(status).label

    def chain_of_command(self):
        """Managers above this person, nearest first. From the loaded manager when they are the top of
        the line; otherwise one query for everyone the path (alliance.tree) names, never one per level."""
        boss = self.manager
        if boss is None:
            return []
        if boss.manager_id is None:
            return [boss]
        ids = tree.chain_ids(self)
        by_id = Employee.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


class Notification(models.Model):
    """One line in a person's in-app notification list (the email copy is sent alongside)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True, help_text="Where the notification leads (a site path).")
    # "reminder" for the time-based reminders (tours.reminders): the digest lists what they remind of as items of
    # its own, so it leaves them out of its news rather than saying it twice.
    kind = models.CharField(max_length=20, blank=True)
    # Emailed at once (alliance.notifications.notify): the digest does not repeat it.
    mailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list page (a user's newest first) and the navigation's unread count.
            models.Index(fields=["user", "-created_at"], name="notification_user_created_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.message


SIGN_IN_LINK_DAYS = 14


def hash_token(token):
    """Only a token's hash is stored: a database dump does not hold working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class OneTimeLink(models.Model):
    """A single-use link sent by email (a new person's sign-in link, an alumni invitation). Only the token's
    hash is stored; a link is open until used, revoked (a newer one was sent) or expired."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def state(self):
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @classmethod
    def find(cls, token):
        """The link for this token and its state ('open', 'used', 'revoked', 'expired'), or (None, 'invalid')."""
        link = cls.objects.select_related("employee__user").filter(token_hash=hash_token(token)).first()
        return (link, link.state) if link else (None, "invalid")


class SignInLink(OneTimeLink):
    """A new person's link to choose their first password (activation).

    A row per link rather than Django's stateless reset token: the person page shows when the last
    one was sent, a new link revokes the previous one, and an import writes thousands in one query."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="sign_in_links")
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The person page's "last sent" line and the revocation of a person's open links.
            models.Index(fields=["employee", "-created_at"], name="signinlink_employee_idx"),
        ]

    def __str__(self):
        return f"Sign-in link for {self.employee}"

    @property
    def state(self):
        """As any one-time link, and closed ("revoked") once the person has left or has a password: a link
        from the hire must not set the password of a leaver or of an alumna who joined with her own."""
        state = super().state
        if state == "open" and (self.employee.has_left() or self.employee.user.has_usable_password()):
            return "revoked"
        return state


class ImportJob(models.Model):
    """One CSV import: the validated file, stored at the preview (so the confirmation carries only this
    row's id, never the file), then applied by a background task that records the outcome here."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_jobs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    # The file's text; emptied once applied (it holds personal data that the people table now holds).
    content = models.TextField(blank=True)
    row_count = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    created_ids = models.JSONField(default=list, blank=True, help_text="Employees this import added.")
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Import {self.pk} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("people:import_status", args=[self.pk])

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)
