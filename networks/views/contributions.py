"""Contributions: the feed, my contributions, the ones awaiting my rating, one insight."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from alliance import access as people_access
from alliance.models import Employee
from alliance.pagination import CappedPaginator
from networks import access, services
from networks.forms import ContributionForm, FeedFilterForm, RateForm
from networks.models import Contribution


def _page(request, queryset, template, **context):
    page = CappedPaginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, **context})


# Employees and alumni (who joined the network) share insights; a departed non-member does not.
SHARERS = ("employee", "alumnus")
SHARERS_ONLY = "Employees and members of the alumni network share insights."


@people_access.require("employee", "hr", message=access.EMPLOYEES_AND_HR)
def feed(request):
    items = Contribution.objects.visible_to(request.user).with_related()
    form = FeedFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        items = form.apply(items)
    return _page(request, items, "networks/feed.html", form=form)


@people_access.require(*SHARERS, message=SHARERS_ONLY)
def mine(request):
    items = Contribution.objects.filter(contributor=request.roles.person).with_related()
    return _page(request, items, "networks/mine.html")


@people_access.require("hr", "manager", message="Managers and HR rate insights.")
def to_rate(request):
    """A manager's team (whole subtree) or, for HR, everyone: unrated insights they may see."""
    user = request.user
    items = Contribution.objects.visible_to(user).filter(rating__isnull=True).exclude(contributor__user=user)
    if not request.roles.hr:
        items = items.filter(contributor__in=Employee.objects.subtree_of(request.roles.employee))
    return _page(request, items.with_related().order_by("created_at"), "networks/to_rate.html")


@login_required
def detail(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk)
    return render(
        request,
        "networks/detail.html",
        {
            "c": contribution,
            "may_edit": access.may_edit(request.user, contribution),
            "may_rate": access.may_rate(request.user, contribution),
            "spends": contribution.spends.select_related("employee") if request.roles.hr else None,
        },
    )


@people_access.require(*SHARERS, message=SHARERS_ONLY)
def create(request):
    me = request.roles.person
    form = ContributionForm(request.POST or None, contributor=me)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.contributor = me
            contribution = form.save()
        messages.success(request, "Thank you: your insight is shared.")
        return redirect(contribution)
    return render(request, "networks/form.html", {"form": form})


@login_required
def edit(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk, "edit")
    form = ContributionForm(request.POST or None, instance=contribution, contributor=contribution.contributor)
    if request.method == "POST" and form.is_valid():
        services.contribution_update(form=form)
        messages.success(request, "Saved.")
        return redirect(contribution)
    return render(request, "networks/form.html", {"form": form, "c": contribution})


@login_required
def delete(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk, "edit")
    if request.method == "POST":
        services.contribution_delete(contribution=contribution)
        messages.success(request, f"“{contribution.title}” was deleted.")
        return redirect("networks:mine")
    return render(request, "networks/confirm_delete.html", {"c": contribution})


@login_required
def rate(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk, "rate")
    form = RateForm(request.POST or None, instance=contribution)
    if request.method == "POST" and form.is_valid():
        told = services.contribution_rate(contribution=contribution, by=request.user, **form.cleaned_data)
        messages.success(request, "Rated. The contributor has been told." if told else "Saved.")
        return redirect(contribution)
    return render(request, "networks/rate.html", {"form": form, "c": contribution})
