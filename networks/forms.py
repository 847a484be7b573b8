import datetime
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from alliance.forms import DateField, FilterForm, IdsField, PeopleField, PersonField
from alliance.listfilters import ManagerFilterField, TeamFilterField, below_field, narrow
from alliance.querysets import on_days
from networks.models import Contribution, Event, FundPolicy, FundSpend, Tag
from tours.models import Tour


def parse_tags(text):
    names = {t.strip().lower()[:40] for t in text.replace(";", ",").split(",")}
    return sorted(n for n in names if n)


class ContributionForm(forms.ModelForm):
    tags_text = forms.CharField(label="Tags", required=False, help_text="Comma-separated, e.g. pricing, fintech")

    class Meta:
        model = Contribution
        fields = ["kind", "title", "insight", "source", "tags_text", "visibility", "tour"]
        widgets = {"insight": forms.Textarea(attrs={"rows": 5}), "visibility": forms.RadioSelect}

    def __init__(self, *args, contributor, **kwargs):
        super().__init__(*args, **kwargs)
        # The contributor's open tours, and the tour it already serves even if that one has since closed,
        # so that editing the insight does not fail on a choice the contributor did not touch.
        open_tours = Q(employee=contributor, state__in=Tour.OPEN_STATES)
        self.fields["tour"].queryset = Tour.objects.filter(open_tours | Q(pk=self.instance.tour_id))
        self.fields["tour"].empty_label = "No particular tour"
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
        if not contributor.is_active_on():  # an alumnus shares with HR only
            self.fields["visibility"].choices = [(Contribution.Visibility.HR, "HR only")]
            self.fields["visibility"].initial = Contribution.Visibility.HR
            del self.fields["tour"]

    def clean_tags_text(self):
        tags = parse_tags(self.cleaned_data["tags_text"])
        if len(tags) > 10:
            raise forms.ValidationError("Use at most 10 tags.")
        return tags

    def save(self, commit=True):
        contribution = super().save(commit=commit)
        tags = [Tag.objects.get_or_create(name=name)[0] for name in self.cleaned_data["tags_text"]]
        contribution.tags.set(tags)
        return contribution


class RateForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label="Usefulness",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 = not useful, 5 = very useful",
    )

    class Meta:
        model = Contribution
        fields = ["rating", "acted_on", "outcome"]
        labels = {"acted_on": "We acted on it"}
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("acted_on") and not cleaned.get("outcome", "").strip():
            self.add_error("outcome", "Say what came of it.")
        return cleaned


class FeedFilterForm(FilterForm):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Title or insight")
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Contribution.Kind.choices], required=False)
    tag = forms.CharField(required=False, max_length=40)
    team = TeamFilterField()
    manager = ManagerFilterField(label="Contributor's manager", required=False)
    below = below_field()
    acted_on = forms.ChoiceField(
        choices=[("", "Acted on or not"), ("yes", "Acted on"), ("no", "Not acted on")], required=False, label="Acted on"
    )
    rated = forms.ChoiceField(choices=[("", "Rated or not"), ("yes", "Rated"), ("no", "Not rated")], required=False)
    since = DateField(required=False, label="From")
    until = DateField(required=False, label="To")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The end of the range is before its start.")
        return cleaned

    def apply(self, items):
        """The feed's search and filters on a queryset of contributions the viewer may already see."""
        data = self.cleaned_data
        for word in data["q"].split()[:5]:
            items = items.filter(Q(title__icontains=word) | Q(insight__icontains=word))
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["tag"]:
            items = items.filter(tags__name=data["tag"].strip().lower())
        items = narrow(items, data, "contributor__")
        if data["rated"]:
            items = items.filter(rating__isnull=data["rated"] == "no")
        if data["acted_on"]:
            items = items.filter(acted_on=data["acted_on"] == "yes")
        items = items.filter(on_days("created_at", data["since"], data["until"]))
        return items


class SpendForm(forms.ModelForm):
    amount = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = FundSpend
        fields = ["spent_on", "amount", "what", "note", "contributions"]
        field_classes = {"contributions": IdsField, "spent_on": DateField}
        widgets = {"contributions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, employee, **kwargs):
        super().__init__(*args, **kwargs)
        # Spending can be logged for this year and last (see clean_spent_on), so it can only have led to
        # insights shared since the start of last year. (A sliced queryset would refuse every choice.)
        since = timezone.localdate().year - 1
        self.fields["contributions"].queryset = Contribution.objects.filter(
            contributor=employee, created_at__year__gte=since
        )
        self.fields["amount"].help_text = f"In {FundPolicy.load().currency}."
        self.fields["spent_on"].initial = timezone.localdate()

    def clean_spent_on(self):
        day = self.cleaned_data["spent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Log spending once it has happened.")
        if day.year < timezone.localdate().year - 1:
            raise forms.ValidationError("Spending older than last year cannot be logged.")
        return day


class PolicyForm(forms.ModelForm):
    class Meta:
        model = FundPolicy
        fields = ["yearly_budget", "currency"]

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError("Use a three-letter currency code such as EUR.")
        # One currency per company: balances add amounts up, so they must all be in the same currency.
        logged = FundSpend.objects.exclude(currency=code).values_list("currency", flat=True).first()
        if logged:
            raise forms.ValidationError(
                f"Spending has already been logged in {logged}; the fund keeps one currency, so it stays {logged}."
            )
        return code


class BudgetOverrideForm(forms.Form):
    employee = PersonField()
    year = forms.IntegerField(min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year)
    amount = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"))


class EventForm(forms.ModelForm):
    attendees_text = PeopleField(label="Internal attendees", required=False)

    class Meta:
        model = Event
        fields = ["title", "kind", "date", "place", "description", "attendees_text", "outside_guests", "learned"]
        field_classes = {"date": DateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "learned": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            people = self.instance.attendees.filter(attendances__self_reported=False)
            self.fields["attendees_text"].initial = list(people)
        else:
            self.fields["date"].initial = datetime.date.today()
