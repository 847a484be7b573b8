"""Tour reports: at risk, check-ins, coverage and mix, outcomes. Figures are database aggregates."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from alliance.reporting import ReportFilterForm, render_report, scope
from tours.models import Tour

DONE = [Tour.State.AGREED, Tour.State.COMPLETED]


class AtRiskForm(ReportFilterForm):
    days = forms.IntegerField(label="Ending within (days)", min_value=1, max_value=730, initial=90, required=False)


def _manager_name():
    return Coalesce(
        Concat("employee__manager__first_name", Value(" "), "employee__manager__last_name"), Value("(no manager)")
    )


@login_required
def tours_at_risk(request):
    """Agreed tours ending within N days with no successor agreed, and tours whose next-tour
    conversation is due with no next tour even drafted; by team and manager."""
    people = scope(request.user)
    form = AtRiskForm(request.GET or None)
    people = form.people(people)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 90
    today = timezone.localdate()
    agreed_successor = Tour.objects.filter(predecessor=OuterRef("pk"), state__in=DONE)
    any_successor = Tour.objects.filter(predecessor=OuterRef("pk"))
    ending = Q(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days)) & ~Q(Exists(agreed_successor))
    conversation = Q(next_tour_on__lte=today, end_date__gte=today) & ~Q(Exists(any_successor))
    rows = (
        Tour.objects.filter(employee__in=people, state=Tour.State.AGREED)
        .filter(ending | conversation)
        .values("employee__team__name")
        .annotate(
            manager=_manager_name(), ending=Count("pk", filter=ending), conversation=Count("pk", filter=conversation)
        )
        .order_by("employee__team__name", "manager")
        .values_list("employee__team__name", "manager", "ending", "conversation")
    )
    rows = [(team or "(no team)", manager, ending, conv) for team, manager, ending, conv in rows]
    by_team = {}
    for team, _, ending_count, _ in rows:
        by_team[team] = by_team.get(team, 0) + ending_count
    columns = ["Team", "Manager", f"Ending within {days} days, no successor agreed", "Next-tour conversation overdue"]
    return render_report(
        request,
        slug="tours-at-risk",
        title="Tours at risk",
        form=form,
        description=f"Agreed tours ending within {days} days with no next tour agreed, and tours whose next-tour "
        "conversation is due with no next tour drafted.",
        columns=columns,
        rows=rows,
        chart=sorted(by_team.items()),
        chart_title=f"Tours ending within {days} days without a successor, by team",
    )
