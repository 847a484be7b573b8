from django import forms
from django.utils import timezone

from alliance.forms import SELF_AS_MANAGER, DateField, FilterForm, PersonField
from alliance.listfilters import ManagerFilterField, TeamFilterField
from alliance.models import Employee
from alumni.models import AlumniProfile, Departure, Referral, departure_already_recorded
from tours.models import Tour

ELIGIBILITY = [("", "Not decided"), ("yes", "Eligible for rehire"), ("no", "Not eligible for rehire")]


class OffboardForm(forms.Form):
    departure_date = DateField(help_text="Their last day. Employee access ends on this date.")
    reason = forms.ChoiceField(choices=Departure.Reason.choices, widget=forms.RadioSelect)
    exit_notes = forms.CharField(
        label="Exit conversation notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    company_kept = forms.ChoiceField(
        label="Did the company keep its promises on the current tour?",
        choices=Tour.Kept.choices,
        widget=forms.RadioSelect,
    )
    employee_kept = forms.ChoiceField(
        label="Did the employee keep theirs?", choices=Tour.Kept.choices, widget=forms.RadioSelect
    )
    rehire_eligible = forms.ChoiceField(label="Rehire eligibility (HR only)", choices=ELIGIBILITY, required=False)
    rehire_reason = forms.CharField(label="Why (HR only)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    invite = forms.BooleanField(
        label="Invite them to the alumni network",
        required=False,
        initial=True,
        help_text="Sent on the departure date: nobody is invited while they still work here.",
    )

    def __init__(self, *args, employee, is_hr, has_tour, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        if not is_hr:
            del self.fields["rehire_eligible"], self.fields["rehire_reason"]
        if not has_tour:
            del self.fields["company_kept"], self.fields["employee_kept"]

    def clean_departure_date(self):
        day = self.cleaned_data["departure_date"]
        if self.employee.departure_date:  # one departure per person (the service checks again, locked)
            raise forms.ValidationError(departure_already_recorded(self.employee))
        if day < self.employee.hire_date:
            raise forms.ValidationError(f"They were hired on {self.employee.hire_date:%d %b %Y}.")
        if day > timezone.localdate() + timezone.timedelta(days=365):
            raise forms.ValidationError("Record a departure at most a year ahead.")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rehire_eligible") == "no" and not cleaned.get("rehire_reason", "").strip():
            self.add_error("rehire_reason", "Say why they are not eligible.")
        return cleaned

    def eligibility(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("rehire_eligible") or "")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = AlumniProfile
        fields = [
            "current_employer",
            "current_title",
            "location",
            "personal_email",
            "profile_url",
            *(f for f, _ in AlumniProfile.INTERESTS),
            "note",
            "listed",
            "show_personal_email",
            "show_profile_url",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = dict(AlumniProfile.INTERESTS)


INTEREST_CHOICES = [("", "Any interest"), *AlumniProfile.INTERESTS]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=200)
    employer = forms.CharField(required=False, max_length=200)
    location = forms.CharField(required=False, max_length=200)
    interest = forms.ChoiceField(choices=INTEREST_CHOICES, required=False)


class RosterFilterForm(DirectoryFilterForm):
    q = forms.CharField(label="Name or email", required=False, max_length=200)
    tier = forms.ChoiceField(choices=[("", "Any tier"), *AlumniProfile.Tier.choices], required=False)
    eligible = forms.ChoiceField(
        label="Rehire",
        choices=[("", "Any"), ("yes", "Eligible"), ("no", "Not eligible"), ("unknown", "Not decided")],
        required=False,
    )
    stale = forms.BooleanField(label="Stale only (over 12 months)", required=False)
    fresh = forms.BooleanField(label="Updated in the last 12 months only", required=False)
    # The person's team and manager when they left (the alumni report's filters link here with them).
    team = TeamFilterField()
    manager = ManagerFilterField(label="Manager", required=False)


class ReferralFilterForm(FilterForm):
    """The referrals list's filters besides the status: the referrer's team and manager (the alumni report's)."""

    team = TeamFilterField()
    manager = ManagerFilterField(label="Referrer's manager", required=False)


class TierForm(forms.ModelForm):
    class Meta:
        model = AlumniProfile
        fields = ["tier"]


class RehireForm(forms.Form):
    rehired_on = DateField(label="Starts on")
    manager = PersonField(active_only=True, help_text="The new manager: type a name, employee number or email.")
    job_title = forms.CharField(required=False, max_length=Employee._meta.get_field("job_title").max_length)
    reason = forms.CharField(
        label="Why rehire someone marked not eligible", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(label="I confirm this rehire despite the eligibility decision", required=False)

    def __init__(self, *args, ineligible, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.ineligible = ineligible
        self.editor = editor
        if not ineligible:
            del self.fields["reason"], self.fields["confirm"]

    def clean_rehired_on(self):
        day = self.cleaned_data["rehired_on"]
        # As for departures: a rehire is recorded at most a year ahead (it takes effect on the day).
        if day > timezone.localdate() + timezone.timedelta(days=365):
            raise forms.ValidationError("Record a rehire at most a year ahead.")
        return day

    def clean_manager(self):
        manager = self.cleaned_data["manager"]
        if not manager.is_active_on():
            raise forms.ValidationError(f"{manager.full_name} has left the company: choose a current employee.")
        if manager.user_id == self.editor.pk:
            raise forms.ValidationError(SELF_AS_MANAGER)
        return manager

    def clean(self):
        cleaned = super().clean()
        if self.ineligible:
            if not cleaned.get("confirm"):
                self.add_error("confirm", "Confirm the rehire: HR marked this person as not eligible.")
            if not cleaned.get("reason", "").strip():
                self.add_error("reason", "Give the reason for rehiring them anyway.")
        return cleaned


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["candidate_name", "contact", "role_of_interest", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ReferralStatusForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["status"]
