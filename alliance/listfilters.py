"""The list pages' people filters, shared by the people directory, the tour list, the feed, the roster and the
referrals: team (or none), direct manager (or none), everyone below someone; and `narrow()`, which applies them.
The reports link to these lists with the same filters their figures were counted with (issue 23)."""

import functools

from django import forms
from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from alliance.forms import DateField, FilterForm, PersonField
from alliance.models import Employee, Team
from alliance.querysets import PERSON_CONDITIONS

# The list filters' value for "in no team" and "with no manager": a report's "(no team)" row links to it.
NONE = "none"


@functools.lru_cache(maxsize=4)
def _teams_sql(alias):
    """The team list's SQL, compiled once: every list page draws the team select, and compiling the query cost
    more than running it."""
    return Team.objects.using(alias).values_list("pk", "name").query.sql_with_params()


class NoneOptionIterator(forms.models.ModelChoiceIterator):
    """The field's empty label, every team (id, name) by name, then "(no team)"."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        alias = router.db_for_read(Team)
        with connections[alias].cursor() as cursor:
            cursor.execute(*_teams_sql(alias))
            yield from cursor.fetchall()
        yield (NONE, "(no team)")

    def __len__(self):
        return super().__len__() + 1


class TeamFilterField(forms.ModelChoiceField):
    """A team, or NONE for the people in no team (a list filter)."""

    iterator = NoneOptionIterator

    def __init__(self, **kwargs):
        super().__init__(queryset=Team.objects.all(), required=False, empty_label="All teams", **kwargs)

    def to_python(self, value):
        return NONE if value == NONE else super().to_python(value)

    def validate(self, value):
        if value != NONE:
            super().validate(value)


class ManagerFilterField(PersonField):
    """A direct manager, or NONE ("none") for the people with no manager (a list filter)."""

    def clean(self, value):
        if (value or "").strip().lower() == NONE:
            return NONE
        return super().clean(value)


def below_field():
    return PersonField(label="Below", required=False, help_text="Everyone who reports to this person, at any depth.")


def narrow(items, data, prefix=""):
    """A list's people filters (team, direct manager, below someone at any depth) on a queryset whose person
    is at `prefix` ("" for people, "employee__" for tours, "contributor__" for insights). The reports link
    here with the same filters their figures were counted with (alliance.reporting.ReportFilterForm)."""
    team, manager, below = data.get("team"), data.get("manager"), data.get("below")
    if team == NONE:
        items = items.filter(**{f"{prefix}team__isnull": True})
    elif team:
        items = items.filter(**{f"{prefix}team": team})
    if manager == NONE:
        items = items.filter(**{f"{prefix}manager__isnull": True})
    elif manager:
        items = items.filter(**{f"{prefix}manager": manager})
    if below:
        # A prefix of the reporting-line path (alliance.tree), as Employee.objects.subtree_of() matches it.
        items = items.filter(**{f"{prefix}tree_path__startswith": below.tree_path}).exclude(
            **{f"{prefix}pk" if prefix else "pk": below.pk}
        )
    return items


class PeopleFilterForm(FilterForm):
    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="Name, email, employee number or job title"
    )
    team = TeamFilterField()
    manager = ManagerFilterField(label="Manager", required=False)
    below = below_field()
    status = forms.ChoiceField(choices=[("", "Any status"), *Employee.Status.choices], required=False, initial="active")
    tour = forms.ChoiceField(
        label="Tour of duty",
        choices=[("", "With or without"), ("covered", "An agreed tour in force"), ("none", "No tour in force")],
        required=False,
    )
    boomerang = forms.BooleanField(label="Boomerangs only (rehired)", required=False)
    resigned_from = DateField(required=False, label="Resigned from")
    resigned_to = DateField(required=False, label="Resigned by")

    def apply(self, people, status=Employee.Status.ACTIVE):
        """The directory's search and filters (the page and the API) on people the viewer may already see.
        `status` is read apart from the form: absent means active, an empty value means any."""
        if self.is_valid():
            data = self.cleaned_data
            for term in data["q"].split()[:5]:
                people = people.filter(
                    Q(first_name__icontains=term)
                    | Q(last_name__icontains=term)
                    | Q(user__email__icontains=term)
                    | Q(employee_number__icontains=term)
                    | Q(job_title__icontains=term)
                )
            people = narrow(people, data)
            if data["tour"]:
                covered = PERSON_CONDITIONS["covered"](timezone.localdate())
                people = people.filter(covered if data["tour"] == "covered" else ~covered)
            if data["boomerang"]:
                # Read through the person's reverse relation (alumni.Rehire), as the reports do: no upward import.
                people = people.filter(pk__in=Employee.objects.filter(rehires__isnull=False).values("pk"))
            if data["resigned_from"] or data["resigned_to"]:
                # "resigned" is alumni.models.Departure.Reason.RESIGNED, read the same way (tours.reports.outcomes).
                # One filter() call, so the reason and both dates are of the same departure row.
                same_row = {"departures__reason": "resigned"}
                if data["resigned_from"]:
                    same_row["departures__departure_date__gte"] = data["resigned_from"]
                if data["resigned_to"]:
                    same_row["departures__departure_date__lte"] = data["resigned_to"]
                people = people.filter(pk__in=Employee.objects.filter(**same_row).values("pk"))
        elif self.is_bound:
            people = people.none()  # a filter with an error (a manager no one matches) shows no one, not everyone
        if status == Employee.Status.ACTIVE:
            people = people.active()
        elif status == Employee.Status.STARTING:
            people = people.starting()
        elif status == Employee.Status.DEPARTED:
            people = people.departed()
        return people
