"""HR's audit trail page: every tracked change, newest first, filtered by object type and person."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from alliance import access
from alliance.forms import PersonField, PersonPickerWidget, match_person
from alliance.models import User
from audit import trail

PAGE_SIZE = 25


class AuditFilterForm(forms.Form):
    type = forms.ChoiceField(
        label="Object type",
        required=False,
        choices=[("", "All types"), *((k.key, k.label) for k in trail.KINDS.values())],
    )
    person = PersonField(label="About person", required=False, help_text="Name, employee number or email")
    # A picker too, but also a bare sign-in email: staff accounts with no person record change things.
    by = forms.CharField(
        label="Changed by", required=False, max_length=300, widget=PersonPickerWidget(), help_text="Name or email"
    )
    object = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean_by(self):
        ref = self.cleaned_data["by"].strip()
        if not ref:
            return None
        user = User.objects.filter(email=ref.lower()).first()  # emails are stored lowercase
        return user if user is not None else match_person(ref).user


@access.require("hr")
def audit_list(request):
    """HR only."""
    form = AuditFilterForm(request.GET or None)
    filters = {}
    kinds = None
    if form.is_valid():
        data = form.cleaned_data
        if data["type"]:
            kinds = [trail.KINDS[data["type"]]]
            filters["object_id"] = data["object"]
        filters["person"], filters["by"] = data["person"], data["by"]
    elif form.is_bound:
        kinds = []  # a filter that matched nobody shows nothing, not everything
    page = Paginator(trail.changes_queryset(kinds, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page, "entries": trail.entries(list(page))})
