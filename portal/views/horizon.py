"""The horizon (portal/horizon.py): what is coming for a manager's people, and for HR the company's, by department."""

from django import forms
from django.shortcuts import render

from alliance import access
from alliance.forms import FilterForm
from alliance.models import Employee, Team
from portal import horizon as data


class HorizonForm(FilterForm):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All departments",
                                  label="Department")  # fmt: skip


@access.require("hr", "manager", message="The horizon is for managers and HR.")
def horizon(request):
    """Managers: everyone below them, at any depth. HR: the company, or one department."""
    roles = request.roles
    form = HorizonForm(request.GET or None, user=request.user)
    team = form.cleaned_data.get("team") if form.is_valid() else None
    people = None if roles.hr else Employee.objects.subtree_of(roles.employee)
    if team is not None:
        people = (Employee.objects.all() if people is None else people).filter(team=team)
    context = data.horizon(request.user, people, hr=roles.hr, page_number=request.GET.get("page"))
    context.update(form=form, team=team, hr=roles.hr)
    if roles.hr and team is None:
        context["departments"] = data.by_department(None, context["today"])
    return render(request, "portal/horizon.html", context)
