from django import forms
from django.db.models import Q

from alliance.models import CompanyValue, Employee, Organization, Team, User


def find_employee(ref):
    """An employee by employee number or email (case-insensitive), or None."""
    ref = (ref or "").strip()
    if not ref or len(ref) > 254:  # no number or email is longer (and SQLite refuses LIKE patterns over 50 kB)
        return None
    return Employee.objects.filter(Q(employee_number=ref) | Q(user__email__iexact=ref)).first()


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
    """HR's form for a person. The email lives on the sign-in (User); the manager is typed, not picked
    from a list, because a select of 10,000 people is no use to anyone."""

    email = forms.EmailField(help_text="Also the person's sign-in.")
    manager_ref = forms.CharField(
        label="Manager",
        required=False,
        help_text="The manager's employee number or email. Leave empty for no manager.",
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
        widgets = {
            # ISO format: a date input shows nothing for a localised value ("06/01/2020"), so saving failed.
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
                self.fields["manager_ref"].initial = self.instance.manager.employee_number

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        taken = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.user_id)
        if taken.exists():
            raise forms.ValidationError("Another person already signs in with this email.")
        return email

    def clean_manager_ref(self):
        ref = self.cleaned_data["manager_ref"].strip()
        if not ref:
            return None
        manager = find_employee(ref)
        if manager is None:
            raise forms.ValidationError(f"No employee has the number or email “{ref}”.")
        if manager.user_id == self.editor.pk:
            raise forms.ValidationError(SELF_AS_MANAGER)
        if self.instance.pk:
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


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Name, email or job title")
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All teams")
    manager = forms.CharField(label="Manager", required=False, max_length=254, help_text="Employee number or email")
    status = forms.ChoiceField(choices=[("", "Any status"), *Employee.Status.choices], required=False, initial="active")


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
    # The previewed file travels back with the confirmation and is validated again before writing.
    content = forms.CharField(widget=forms.HiddenInput, max_length=ImportUploadForm.MAX_BYTES, strip=False)
