import datetime
import operator
import re
from functools import reduce

from django import forms
from django.db.models import Q
from django.urls import reverse

from alliance import tokens
from alliance.models import CompanyValue, Employee, ImportJob, Organization, User

# Every date a form accepts lies in these years: wide enough for any hire or tour, far enough from
# date.min/date.max that the date arithmetic on it (tour lengths, check-in schedules, reports) never overflows.
EARLIEST_DATE, LATEST_DATE = datetime.date(1950, 1, 1), datetime.date(2199, 12, 31)


def validate_supported_date(day):
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise forms.ValidationError(
            f"Enter a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.", code="unsupported_date"
        )


class DateInput(forms.DateInput):
    """`<input type=date>` reads and writes only ISO `YYYY-MM-DD`: in the site's en-gb format (30/11/2026)
    the browser shows an empty box, and the next save would lose the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """The one date field every form uses (ModelForms through Meta.field_classes): an ISO date input,
    limited to the supported years."""

    widget = DateInput
    default_validators = [validate_supported_date]


class FilterBoundField(forms.BoundField):
    """A filter field's widget with Bootstrap's classes, for {% filter_field %} (alliance.filterfields)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = "form-select" if isinstance(widget or self.field.widget, forms.Select) else "form-control"
        attrs["class"] = f"{css} is-invalid" if self.errors else css
        return attrs


class FilterForm(forms.Form):
    """A list page's GET filters. Rendered field by field with {% filter_field %} (alliance.filterfields)
    rather than crispy or templates: crispy's nested templates cost ~3 ms a field, Django's widget
    templates ~0.6 ms, on every request of the busiest pages.
    A person filter matches only the people the viewer may see (Employee.objects.visible_to, the people
    access rule), so an unknown and a forbidden person get the same "No one matches": a filter never
    tells anyone that a person exists. Forms with a person field therefore need `user`, the viewer."""

    bound_field_class = FilterBoundField

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, PersonField):
                if user is None:
                    raise TypeError(f"{type(self).__name__} filters by person: pass user=request.user")
                field.people = Employee.objects.visible_to(user)


def person_label(employee):
    """What the picker writes into a person field, and what the field shows: "Mo Nagy (E0042)". The
    employee number in brackets is what the field reads back, so the label survives a round trip."""
    return f"{employee.full_name} ({employee.employee_number})"


LABEL = re.compile(r"\((?P<number>[^()]+)\)\s*$")


def match_person(ref, people=None):
    """The one person `ref` names, among `people` (default everyone): by employee number, email, the
    picker's label or an exact full name. A ValidationError says when no one, or several, match."""
    people = Employee.objects.all() if people is None else people
    ref = " ".join((ref or "").split())
    if len(ref) > 254:
        raise forms.ValidationError("No one matches this: give an employee number or email.")
    label = LABEL.search(ref)
    # Numbers and emails are unique (and emails stored lowercase): exact, indexed lookups first.
    for q in filter(None, [label and Q(employee_number=label["number"].strip()), Q(employee_number=ref),
                           Q(user__email=ref.lower())]):  # fmt: skip
        found = people.filter(q).first()
        if found is not None:
            return found
    words = ref.split()[:6]
    # "Mary Ann Lee": any split of the words into first and last name.
    splits = [
        Q(first_name__iexact=" ".join(words[:i]), last_name__iexact=" ".join(words[i:])) for i in range(1, len(words))
    ]
    named = people.filter(reduce(operator.or_, splits)) if splits else people.none()
    found = list(named[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError("No one matches “%(ref)s”.", code="no_match", params={"ref": ref})
    raise forms.ValidationError(
        "%(count)s people match “%(ref)s”: give the employee number.",
        code="ambiguous",
        params={"ref": ref, "count": named.count()},
    )


class PersonPickerWidget(forms.TextInput):
    """A text field for a person. static/js/person-picker.js turns it into a search-as-you-type
    combobox over /people/search/; without JavaScript it stays a text field the form reads with
    match_person(). `multiple` fields hold a comma-separated list and the script completes the last."""

    def __init__(self, attrs=None, *, multiple=False, active_only=False):
        super().__init__(attrs)
        self.multiple, self.active_only = multiple, active_only

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picker = {"data-person-search": reverse("people:search"), "autocomplete": "off", "spellcheck": "false"}
        if self.multiple:
            picker["data-person-multiple"] = "true"
        if self.active_only:
            picker["data-person-active"] = "true"
        context["widget"]["attrs"] = {**picker, **context["widget"]["attrs"]}
        return context

    def format_value(self, value):
        if isinstance(value, Employee):
            return person_label(value)
        if isinstance(value, list | tuple):
            return ", ".join(person_label(v) if isinstance(v, Employee) else str(v) for v in value)
        return super().format_value(value)


class PersonField(forms.CharField):
    """One person, typed or picked. Cleans to an Employee (None when empty and not required)."""

    def __init__(self, *, people=None, active_only=False, **kwargs):
        self.people = people
        kwargs.setdefault("help_text", "Type a name, employee number or email.")
        kwargs.setdefault("max_length", 300)
        super().__init__(widget=PersonPickerWidget(active_only=active_only), **kwargs)

    def clean(self, value):
        text = super().clean(value)
        return match_person(text, self.people) if text else None


class PeopleField(forms.CharField):
    """Several people, separated by commas or new lines. Cleans to a list of distinct Employees."""

    MAX = 500

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Type names, employee numbers or emails, separated by commas.")
        super().__init__(widget=PersonPickerWidget(multiple=True), **kwargs)

    def clean(self, value):
        text = super().clean(value)
        refs = [r.strip() for r in text.replace("\n", ",").split(",") if r.strip()]
        people, errors = {}, []
        for ref in refs[: self.MAX]:
            try:
                person = match_person(ref)
            except forms.ValidationError as error:
                errors.append(error)
            else:
                people[person.pk] = person
        if errors:
            raise forms.ValidationError(errors[:10])
        return list(people.values())


class IdsField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of objects, refusing ids outside a 64-bit integer, which SQLite
    cannot even compare (`pk__in` raises OverflowError there, where `pk=` is guarded by Django)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # Django's own checks refuse it
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


# HR signs no tour; as someone's manager it would sign theirs. So HR never names itself a manager.
SELF_AS_MANAGER = "You cannot make yourself someone's manager: HR does not sign tours. Name their actual manager."


class EmployeeForm(forms.ModelForm):
    """HR's form for a person. The email lives on the sign-in (User); the manager is a person picker,
    not a select, because a select of 10,000 people is no use to anyone."""

    email = forms.EmailField(help_text="Also the person's sign-in.")
    manager_ref = PersonField(
        label="Manager",
        required=False,
        help_text="Type the manager's name, employee number or email. Leave empty for no manager.",
    )

    class Meta:
        model = Employee
        fields = [
            "first_name",
            "last_name",
            "email",
            "employee_number",
            "job_title",
            "team",
            "manager_ref",
            "hire_date",
            "core_values",
            "aspirations",
            "post_company_goal",
        ]
        field_classes = {"hire_date": DateField, "departure_date": DateField}
        widgets = {
            "core_values": forms.Textarea(attrs={"rows": 3}),
            "aspirations": forms.Textarea(attrs={"rows": 3}),
            "post_company_goal": forms.Textarea(attrs={"rows": 3}),
        }

    # No departure date here: departures are recorded (alumni:leave) and undone (people:undo_departure)
    # as explicit actions; retyping this form once silently cleared a departure.

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            if self.instance.manager_id:
                self.fields["manager_ref"].initial = self.instance.manager

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        taken = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.user_id)
        if taken.exists():
            raise forms.ValidationError("Another person already signs in with this email.", code="taken")
        return email

    def clean_manager_ref(self):
        manager = self.cleaned_data["manager_ref"]
        if manager is not None and manager.user_id == self.editor.pk:
            raise forms.ValidationError(SELF_AS_MANAGER)
        if manager is not None and self.instance.pk:
            if manager.pk == self.instance.pk:
                raise forms.ValidationError("A person cannot be their own manager.")
            if Employee.objects.subtree_of(self.instance).filter(pk=manager.pk).exists():
                raise forms.ValidationError(
                    f"{manager.full_name} reports to {self.instance.full_name}: that would make a loop."
                )
        return manager

    def clean_hire_date(self):
        hire = self.cleaned_data["hire_date"]
        departure = self.instance.departure_date
        if hire and departure and departure < hire:
            raise forms.ValidationError(f"They left on {departure:%d %b %Y}: the hire date cannot be later.")
        return hire

    def save(self, commit=True):
        employee = super().save(commit=False)
        employee.manager = self.cleaned_data["manager_ref"]
        if employee.pk:
            user = employee.user
            user.email = self.cleaned_data["email"]
        else:
            user = User(email=self.cleaned_data["email"])
            user.set_unusable_password()
        user.first_name, user.last_name = employee.first_name, employee.last_name
        user.save()
        employee.user = user
        employee.save()
        return employee


class UndoDepartureForm(forms.Form):
    confirm = forms.BooleanField(label="The departure was recorded by mistake: undo it")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "mission"]
        widgets = {"mission": forms.Textarea(attrs={"rows": 4})}


CompanyValueFormSet = forms.inlineformset_factory(
    Organization,
    CompanyValue,
    fields=["name", "description", "position"],
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
    extra=2,
    can_delete=True,
    # A forged management form could otherwise ask for 2,000 forms (Django's absolute_max default).
    max_num=50,
    validate_max=True,
    absolute_max=50,
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma-separated, with a header row. At most 5 MB.")

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB. Split it into smaller files.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.") from None


class ImportApplyForm(forms.Form):
    # The previewed file waits in its ImportJob; the confirmation names the job, never carries the file.
    job = forms.ModelChoiceField(
        queryset=ImportJob.objects.filter(state=ImportJob.State.PREVIEWED),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "This preview was already imported or has expired."},
    )


class ApiTokenForm(forms.Form):
    """A new API token (alliance.tokens.issue checks the rules; this form only reads the fields)."""

    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “weekly export”.")
    scopes = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(
        label="Lasts (days)", min_value=1, max_value=730, initial=90, help_text="Then it stops working."
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("personal", "Personal: for my own scripts"), ("service", "Service: for a company system")],
        initial="personal",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        hr = tokens.allowed_scopes(user, "service")
        self.fields["scopes"].choices = [(k, v) for k, v in tokens.SCOPES.items() if hr or k != "scim"]
        self.fields["scopes"].initial = ["read"]
        if not hr:
            del self.fields["kind"]


class MailPreferenceForm(forms.ModelForm):
    """How often Alliance emails this person (their account page)."""

    class Meta:
        model = User
        fields = ["mail"]
        widgets = {"mail": forms.RadioSelect}
        labels = {"mail": "Email me"}
        help_texts = {
            "mail": "Whatever you choose, a tour proposed to you, new terms and the other side's signature are "
            "emailed at once: they need you today. The digest lists your check-ins due and overdue, tours to sign, "
            "tours ending soon and next-tour conversations due, and what you were told since the last one."
        }
