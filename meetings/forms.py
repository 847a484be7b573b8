from django import forms
from django.utils import timezone

from alliance.forms import DateField
from meetings.models import PrivateNote, TalkingPoint
from tours.models import Tour


class TalkingPointForm(forms.ModelForm):
    prefix = "point"  # the page has a private note's text field too: ids stay unique

    class Meta:
        model = TalkingPoint
        fields = ["text"]
        labels = {"text": "Add a talking point"}
        help_texts = {"text": "Both of you see it. It stays on the agenda until someone ticks it covered."}


class PrivateNoteForm(forms.ModelForm):
    prefix = "note"

    class Meta:
        model = PrivateNote
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": "Notes for this meeting"}
        help_texts = {"text": "Only you see these: not the other side, not HR."}


class MetForm(forms.Form):
    """One side's "We met": the day, and their check-in (with a tours.forms.ProgressForm per objective)."""

    # The agenda the page was opened on: a click on an agenda closed meanwhile is refused, not moved on.
    due_on = DateField(widget=forms.HiddenInput)
    met_on = DateField(label="We met on")
    other_side_keeping = forms.ChoiceField(
        choices=Tour.Kept.choices, widget=forms.RadioSelect, label="Is the other side keeping its promises so far?"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Note for the record")

    def clean_met_on(self):
        met_on = self.cleaned_data["met_on"]
        if met_on > timezone.localdate():
            raise forms.ValidationError("That day is still ahead: record the meeting once you have met.")
        return met_on
