import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from alliance import access
from alliance.forms import DateField, FilterForm, IdsField, PersonField
from alliance.listfilters import ManagerFilterField, TeamFilterField, below_field, narrow
from alliance.models import CompanyValue, Employee
from alliance.querysets import employed_on, on_days
from tours import rules
from tours.models import CheckIn, CheckInProgress, Objective, Programme, Tour, TourRevision
from tours.reports import tour_focus
from tours.services import TERM_FIELDS


class TourStartForm(forms.Form):
    """Step one of a new tour: for whom, which type, which programme. The terms come next, pre-filled."""

    employee = PersonField(label="Employee", active_only=True)
    type = forms.ChoiceField(choices=Tour.Type.choices, widget=forms.RadioSelect, initial=Tour.Type.TRANSFORMATIONAL)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.filter(is_active=True),
        required=False,
        help_text="Rotational tours only: the programme sets the length and the starting terms.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not access.is_hr(user):
            # The employee themself, or their direct reports: a short list, so a select.
            me = access.current_employee(user)
            choices = Employee.objects.not_left().filter(Q(pk=me.pk) | Q(manager=me))  # and people starting later
            # No one preselected: the manager themself was, and so drafted tours for the wrong person.
            self.fields["employee"] = forms.ModelChoiceField(
                queryset=choices.order_by("last_name", "first_name"),
                empty_label="Choose a person",
                help_text="Yourself, or one of your direct reports.",
            )

    def clean_employee(self):
        employee = self.cleaned_data["employee"]
        if employee.has_left():
            raise forms.ValidationError(f"{employee.full_name} has left the company: no new tour can start.")
        if employee.manager_id is None:
            raise forms.ValidationError(
                f"{employee.full_name} has no manager to agree a tour with. Set their manager first."
            )
        return employee

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("type") == Tour.Type.ROTATIONAL and not cleaned.get("programme"):
            self.add_error("programme", "A rotational tour comes from a programme: choose one.")
        if cleaned.get("type") != Tour.Type.ROTATIONAL:
            cleaned["programme"] = None
        return cleaned


class TermsForm(forms.ModelForm):
    """The terms of one revision. Never saved directly: the services write a new revision from it."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        label="What changed", max_length=300, required=False, help_text="A line for the revision history."
    )

    class Meta:
        model = TourRevision
        fields = [*TERM_FIELDS, "values"]
        field_classes = {"values": IdsField, "start_date": DateField, "end_date": DateField}
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "company_gets": forms.Textarea(attrs={"rows": 3}),
            "employee_gets": forms.Textarea(attrs={"rows": 3}),
            "company_invests": forms.Textarea(attrs={"rows": 2}),
            "length_reason": forms.Textarea(attrs={"rows": 2}),
            "aspirations_served": forms.Textarea(attrs={"rows": 2}),
            "values": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, tour_type, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tour_type, self.programme = tour_type, programme
        self.fields["values"].queryset = CompanyValue.objects.all()
        self.fields["values"].label = "Company values it serves"
        self.fields["checkin_months"].min_value = 1
        end = self.fields["end_date"]
        if tour_type == Tour.Type.FOUNDATIONAL:
            del self.fields["end_date"], self.fields["length_reason"]
            self.fields["checkin_months"].label = "Review every (months)"
        elif tour_type == Tour.Type.ROTATIONAL:
            del self.fields["length_reason"]
            end.help_text = f"Leave empty: the programme sets it ({programme.length_months} months)."
        else:
            end.required = True
            end.help_text = "Transformational tours usually last 2 to 5 years."

    def validate_unique(self):
        """Nothing to check here: the form is never saved, and terms_problems() covers the date rules."""

    def clean_checkin_months(self):
        months = self.cleaned_data["checkin_months"]
        if not 1 <= months <= 24:
            raise forms.ValidationError("Check in at least every 24 months, and at most monthly.")
        return months

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if self.tour_type == Tour.Type.ROTATIONAL and start and not cleaned.get("end_date"):
            cleaned["end_date"] = rules.rotational_end(self.programme, start)
        cleaned.setdefault("end_date", None)
        if start is None:
            return cleaned
        for field, message in rules.terms_problems(
            tour_type=self.tour_type,
            programme=self.programme,
            start=start,
            end=cleaned.get("end_date"),
            length_reason=cleaned.get("length_reason", ""),
        ):
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def terms(self):
        return {field: self.cleaned_data.get(field) for field in TERM_FIELDS}


class ObjectiveForm(forms.ModelForm):
    # Which objective of the revision the form was opened on this row continues (its id); empty for a new row.
    ref = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    class Meta:
        model = Objective
        fields = ["side", "description", "measure"]


class BaseObjectiveFormSet(forms.BaseFormSet):
    """The objectives of one revision. Rows are lines of the terms, not database rows: a row left
    empty is dropped, whichever it is, so rows carried over by "Add an objective" (some still empty)
    validate like the extra one. At least one objective is required."""

    def get_form_kwargs(self, index):
        return {"empty_permitted": True}

    def clean(self):
        if not any(f.cleaned_data and not f.cleaned_data.get("DELETE") for f in self.forms):
            raise forms.ValidationError("A tour needs at least one objective: describe it in a row below.")


ObjectiveFormSet = forms.formset_factory(
    ObjectiveForm,
    formset=BaseObjectiveFormSet,
    extra=1,
    can_delete=True,
    min_num=1,  # a new tour's form opens with two rows
    max_num=20,
    validate_max=True,
    absolute_max=20,
)


def add_objective_row(form, formset):
    """The same form and formset, unbound, holding what was typed, with one more empty row: the
    no-JavaScript "Add an objective" button re-renders the page this way without saving or
    showing errors for a form still being written."""
    typed = {name: form[name].value() for name in form.fields}
    rows = [{name: row[name].value() for name in row.fields} for row in formset.forms]
    rows = rows[: ObjectiveFormSet.max_num - 1]
    return (
        type(form)(initial=typed, tour_type=form.tour_type, programme=form.programme),
        ObjectiveFormSet(initial=rows, prefix=formset.prefix),
    )


def objectives_from(formset):
    return [
        {key: f.cleaned_data.get(key) for key in ("side", "description", "measure", "ref")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def initial_terms(tour_type, employee, programme):
    """Sensible starting terms for a new tour of this type."""
    start = max(timezone.localdate() + datetime.timedelta(days=1), employee.hire_date)  # a first tour: from day one
    initial = {
        "start_date": start,
        "checkin_months": 12 if tour_type == Tour.Type.FOUNDATIONAL else 3,
        "aspirations_served": employee.aspirations,
    }
    if tour_type == Tour.Type.TRANSFORMATIONAL:
        initial["end_date"] = rules.add_months(start, 36) - datetime.timedelta(days=1)
    if programme is not None:
        initial.update(
            title=programme.default_title or programme.name,
            mission=programme.default_mission,
            company_gets=programme.default_company_gets,
            employee_gets=programme.default_employee_gets,
            end_date=rules.rotational_end(programme, start),
        )
        objectives = [{"side": side, "description": text} for side, text in programme.objective_lines()]
        return initial, objectives
    return initial, []


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class SignForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)


def drop_blank_radio(form):
    """A required choice shown as radio buttons gets no "---------" button (Django adds one for model
    fields without a default, and would show it ticked)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect) and field.required:
            field.choices = [choice for choice in field.choices if choice[0] != ""]


class CheckInForm(forms.ModelForm):
    due_on = forms.TypedChoiceField(label="Check-in due on", coerce=datetime.date.fromisoformat)

    class Meta:
        model = CheckIn
        fields = ["due_on", "other_side_keeping", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "other_side_keeping": forms.RadioSelect}

    def __init__(self, *args, due_dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].choices = [(d.isoformat(), f"{d:%d %b %Y}") for d in due_dates]
        drop_blank_radio(self)


class ProgressForm(forms.ModelForm):
    class Meta:
        model = CheckInProgress
        fields = ["status", "note"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        drop_blank_radio(self)


class EndTourForm(forms.ModelForm):
    ended_on = DateField(label="Ended on")

    class Meta:
        model = Tour
        fields = ["ended_on", "outcome", "end_reason", "company_kept", "employee_kept"]
        widgets = {
            "end_reason": forms.Textarea(attrs={"rows": 3}),
            "company_kept": forms.RadioSelect,
            "employee_kept": forms.RadioSelect,
        }
        labels = {"end_reason": "Reason (needed when the tour ends early)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("outcome", "company_kept", "employee_kept"):
            self.fields[field].required = True
            self.fields[field].choices = [c for c in self.fields[field].choices if c[0]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Tour.Outcome.ENDED_EARLY and not cleaned.get("end_reason", "").strip():
            self.add_error("end_reason", "Say why the tour ended early.")
        ended_on = cleaned.get("ended_on")
        if ended_on and ended_on < self.instance.start_date:
            self.add_error("ended_on", f"A tour cannot end before it starts ({self.instance.start_date:%d %b %Y}).")
        return cleaned


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "length_months",
            "default_title",
            "default_mission",
            "default_company_gets",
            "default_employee_gets",
            "default_objectives",
            "is_active",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in (
                "description",
                "default_mission",
                "default_company_gets",
                "default_employee_gets",
                "default_objectives",
            )
        }

    def clean_length_months(self):
        months = self.cleaned_data["length_months"]
        if not 1 <= months <= 60:
            raise forms.ValidationError("A programme lasts between 1 and 60 months.")
        return months


class TourFilterForm(FilterForm):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Title or employee name")
    type = forms.ChoiceField(choices=[("", "Any type"), *Tour.Type.choices], required=False)
    state = forms.ChoiceField(choices=[("", "Any state"), *Tour.State.choices], required=False)
    team = TeamFilterField()
    manager = ManagerFilterField(label="Manager", required=False)
    below = below_field()
    ending_within = forms.IntegerField(
        label="Ending within (days)", required=False, min_value=0, max_value=3650, help_text="e.g. 90"
    )
    # What the reports count, by the reports' own definitions (tours.reports.TOUR_FOCUS), so a figure's
    # link lists exactly its tours.
    focus = forms.ChoiceField(
        label="Show",
        choices=[
            ("", "All tours"),
            ("in_force", "In force today"),
            ("up_to_date", "Check-ins up to date"),
            ("due_soon", "Check-in due in the next 14 days"),
            ("overdue", "Check-in overdue"),
            ("at_risk", "At risk (ending without a successor, or conversation due)"),
            ("ending", "Ending without a successor agreed"),
            ("conversation", "Next-tour conversation due"),
            ("ended", "Ended"),
        ],
        required=False,
    )
    outcome = forms.ChoiceField(choices=[("", "Any outcome"), *Tour.Outcome.choices], required=False)
    ended_from = DateField(required=False, label="Ended from")
    ended_to = DateField(required=False, label="Ended by")
    signed_from = DateField(required=False, label="Signed from")
    signed_to = DateField(required=False, label="Signed by")
    employed = forms.BooleanField(label="Only people employed today", required=False)

    def apply(self, tours):
        """The tour list's search and filters (the page and the API) on tours the viewer may already see."""
        if not self.is_valid():
            return tours.none() if self.is_bound else tours  # an error (a manager no one matches) shows nothing
        data = self.cleaned_data
        for word in data["q"].split()[:5]:
            tours = tours.filter(
                Q(title__icontains=word)
                | Q(employee__first_name__icontains=word)
                | Q(employee__last_name__icontains=word)
            )
        if data["type"]:
            tours = tours.filter(type=data["type"])
        if data["state"]:
            tours = tours.filter(state=data["state"])
        today = timezone.localdate()
        tours = narrow(tours, data, "employee__")
        if data["employed"]:
            tours = tours.filter(employed_on(today, "employee__"))
        if data["outcome"]:
            tours = tours.filter(outcome=data["outcome"])
        if data["ended_from"]:
            tours = tours.filter(ended_on__gte=data["ended_from"])
        if data["ended_to"]:
            tours = tours.filter(ended_on__lte=data["ended_to"])
        # When both sides signed (tours.trends: "tours signed that month").
        tours = tours.filter(on_days("agreed_at", data["signed_from"], data["signed_to"]))
        at_risk = data["focus"] in ("at_risk", "ending", "conversation")
        if at_risk:
            # The at-risk report's window: "ending within" is its number of days here.
            tours = tour_focus(tours, data["focus"], today, days=data["ending_within"] or 90)
        elif data["focus"]:
            tours = tour_focus(tours, data["focus"], today)
        if data["ending_within"] is not None and not at_risk:
            tours = tours.filter(
                state=Tour.State.AGREED,
                end_date__gte=today,
                end_date__lte=today + datetime.timedelta(days=data["ending_within"]),
            ).order_by("end_date", "id")
        return tours
