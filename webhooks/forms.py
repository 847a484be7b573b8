from django import forms

from alliance.events import KINDS
from webhooks import addresses
from webhooks.models import Endpoint


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label="Events to send",
        choices=list(KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one event to send."},
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events"]
        help_texts = {
            "url": "Where we POST each event, e.g. https://hooks.example.com/alliance. Addresses on the internet only.",
            "description": "What this endpoint is for, e.g. “HRIS sync”.",
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            addresses.check_url(url)
        except addresses.RefusedAddress as refused:
            raise forms.ValidationError(str(refused)) from None
        return url
