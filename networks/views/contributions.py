"""Contributions: the feed, my contributions, the ones awaiting my rating, one insight."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from alliance import access as people_access
from alliance.models import Employee
from alliance.notifications import notify
from alliance.pagination import CappedPaginator
from networks import access
from networks.forms import ContributionForm, FeedFilterForm, RateForm
from networks.models import Contribution


def _page(request, queryset, template, **context):
    page = CappedPaginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"page": page, "query": query.urlencode(), **context})


def _sharer(user):
    """Employees and alumni (who joined the network) share insights; a departed non-member does not."""
    if not (people_access.current_employee(user) or people_access.is_alumnus(user)):
        raise PermissionDenied("Employees and members of the alumni network share insights.")
    return people_access.person(user)


@login_required
def feed(request):
    access.require_employee_or_hr(request.user)
    items = Contribution.objects.visible_to(request.user).with_related()
    form = FeedFilterForm(request.GET or None)
    if form.is_valid():
        items = form.apply(items)
    return _page(request, items, "networks/feed.html", form=form)


@login_required
def mine(request):
    me = _sharer(request.user)
    return _page(request, Contribution.objects.filter(contributor=me).with_related(), "networks/mine.html")


@login_required
def to_rate(request):
    """A manager's team (whole subtree) or, for HR, everyone: unrated insights they may see."""
    user = request.user
    if not (people_access.is_hr(user) or people_access.is_manager(user)):
        raise PermissionDenied("Managers and HR rate insights.")
    items = Contribution.objects.visible_to(user).filter(rating__isnull=True).exclude(contributor__user=user)
    if not people_access.is_hr(user):
        items = items.filter(contributor__in=Employee.objects.subtree_of(people_access.current_employee(user)))
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
            "spends": contribution.spends.select_related("employee") if people_access.is_hr(request.user) else None,
        },
    )


@login_required
def create(request):
    me = _sharer(request.user)
    form = ContributionForm(request.POST or None, contributor=me)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.contributor = me
            contribution = form.save()
        messages.success(request, "Thank you: your insight is shared.")
        return redirect(contribution)
    return render(request, "networks/form.html", {"form": form})


def _lock_unrated(pk):
    """Inside the transaction that changes or deletes an insight: a rating may have landed since the
    access check, so lock the row (a rating now waits for this change) and look again."""
    if Contribution.objects.select_for_update().only("rating").get(pk=pk).is_rated:
        raise PermissionDenied("This insight has been rated, so it can no longer be changed.")


@login_required
def edit(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk, "edit")
    form = ContributionForm(request.POST or None, instance=contribution, contributor=contribution.contributor)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _lock_unrated(pk)
            form.save()
        messages.success(request, "Saved.")
        return redirect(contribution)
    return render(request, "networks/form.html", {"form": form, "c": contribution})


@login_required
def delete(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk, "edit")
    if request.method == "POST":
        with transaction.atomic():
            _lock_unrated(pk)
            contribution.delete()
        messages.success(request, f"“{contribution.title}” was deleted.")
        return redirect("networks:mine")
    return render(request, "networks/confirm_delete.html", {"c": contribution})


@login_required
def rate(request, pk):
    contribution = access.get_contribution_for_user(request.user, pk, "rate")
    was_rating, was_acted_on = contribution.rating, contribution.acted_on
    form = RateForm(request.POST or None, instance=contribution)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            contribution = form.save(commit=False)
            contribution.rated_by, contribution.rated_at = request.user, timezone.now()
            # Only the rating's own fields, so a contributor's edit saved a moment earlier is not undone.
            contribution.save(update_fields=[*RateForm.Meta.fields, "rated_by", "rated_at", "updated_at"])
            newly_acted_on = contribution.acted_on and not was_acted_on
            told = contribution.rating != was_rating or newly_acted_on  # re-saving the same rating tells no one
            if told:
                message = f"Your insight “{contribution.title}” was rated {contribution.rating}/5"
                if newly_acted_on:
                    message += f" and acted on: {contribution.outcome.strip().rstrip('.')}"
                subject = "Your insight was acted on" if newly_acted_on else "Your insight was rated"
                notify(
                    user=contribution.contributor.user,
                    message=f"{message}.",
                    url=contribution.get_absolute_url(),
                    email_subject=subject,
                )
        messages.success(request, "Rated. The contributor has been told." if told else "Saved.")
        return redirect(contribution)
    return render(request, "networks/rate.html", {"form": form, "c": contribution})
