"""Network intelligence: insights employees bring from outside, the fund that pays for networking,
and the events the company hosts or attends."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from alliance.models import Employee
from alliance.roles import roles_of


class Tag(models.Model):
    """A lower-case label. A table (not a text column) so that filtering by tag is exact and indexed."""

    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """HR: all. Anyone: their own. Employees: items for everyone. Managers: also the
        managers-and-HR items of their whole subtree. HR-only items: HR and their author only."""
        roles = roles_of(user)
        if roles.hr:
            return self
        me = roles.person
        if me is None:
            return self.none()
        mine = Q(contributor=me)
        if not me.is_active_on():
            return self.filter(mine)  # alumni see only what they shared
        seen = mine | Q(visibility=Contribution.Visibility.EVERYONE)
        if roles.manager:
            team = Employee.objects.subtree_of(me).values("pk")
            seen |= Q(visibility=Contribution.Visibility.MANAGERS, contributor__in=team)
        return self.filter(seen)

    def with_related(self):
        return self.select_related("contributor__team", "contributor__user").prefetch_related("tags")


class Contribution(models.Model):
    class Kind(models.TextChoices):
        MARKET = "market", "Market"
        COMPETITOR = "competitor", "Competitor"
        TECHNOLOGY = "technology", "Technology"
        TALENT = "talent", "Talent / referral"
        CUSTOMER = "customer", "Customer lead"
        OTHER = "other", "Other"

    class Visibility(models.TextChoices):
        EVERYONE = "everyone", "Everyone in the company"
        MANAGERS = "managers", "Managers and HR"
        HR = "hr", "HR only"

    contributor = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    insight = models.TextField()
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Describe the source only as far as you choose; a contact's name is never required.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="contributions")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE)
    tour = models.ForeignKey(
        "tours.Tour",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        help_text="The tour of duty this insight serves, if any.",
    )
    rating = models.PositiveSmallIntegerField("usefulness (1–5)", null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    acted_on = models.BooleanField(default=False)
    outcome = models.TextField("what came of it", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at"], name="contribution_newest_idx"),  # the feed's order
            models.Index(fields=["contributor", "-created_at"], name="contribution_author_idx"),  # "mine"
            models.Index(fields=["visibility", "-created_at"], name="contribution_visibility_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="contribution_rating_1_to_5"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("networks:detail", args=[self.pk])

    @property
    def is_rated(self):
        return self.rating is not None


class FundPolicy(models.Model):
    """The company default: one yearly budget per employee, in one currency."""

    yearly_budget = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("1000.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code, e.g. EUR, USD, GBP.")

    class Meta:
        verbose_name_plural = "fund policy"

    def __str__(self):
        return f"{self.yearly_budget} {self.currency} a year"

    @classmethod
    def load(cls):
        return cls.objects.get_or_create(pk=1)[0]


class FundBudget(models.Model):
    """HR's override of the default for one person and one year."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="fund_budgets")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="fund_budget_one_per_year")]

    def __str__(self):
        return f"{self.employee} {self.year}: {self.amount}"


class FundSpend(models.Model):
    class What(models.TextChoices):
        LUNCH = "lunch", "Lunch or coffee"
        CONFERENCE = "conference", "Conference"
        EVENT = "event", "Event"
        OTHER = "other", "Other"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="fund_spends")
    spent_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    what = models.CharField(max_length=20, choices=What.choices)
    note = models.CharField(
        "whom or what it was for", max_length=300, blank=True, help_text="As much detail as you choose."
    )
    contributions = models.ManyToManyField(
        Contribution, blank=True, related_name="spends", help_text="Insights this spending led to."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spent_on", "-id"]
        indexes = [models.Index(fields=["employee", "spent_on"], name="fundspend_employee_day_idx")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fundspend_amount_positive")]

    def __str__(self):
        return f"{self.amount} {self.currency} on {self.spent_on}"


class Event(models.Model):
    class Kind(models.TextChoices):
        HOSTED = "hosted", "Hosted by us"
        ATTENDED = "attended", "Attended"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOSTED)
    date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    outside_guests = models.PositiveIntegerField("number of outside guests", default=0)
    learned = models.TextField("what we learned", blank=True)
    attendees = models.ManyToManyField(Employee, through="Attendance", related_name="events", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["-date"], name="event_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("networks:event", args=[self.pk])


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="attendances")
    self_reported = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "employee"], name="attendance_once")]

    def __str__(self):
        return f"{self.employee} at {self.event}"
