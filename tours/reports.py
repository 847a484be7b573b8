"""Tour reports: at risk, check-ins, coverage and mix, outcomes. Figures are database aggregates."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Concat, TruncQuarter
from django.utils import timezone

from alliance.models import Employee
from alliance.querysets import employed_on
from alliance.reporting import REPORT_PAGE_SIZE, Report, ReportFilterForm, percent, render_report, scope
from tours.models import Tour
from tours.querysets import checkin_overdue_on
from tours.schedule import CHECKIN_GRACE_DAYS

DONE = [Tour.State.AGREED, Tour.State.COMPLETED]

REPORTS = [
    Report("Tours at risk", "tours:report_at_risk",
           "Tours ending soon with no next tour agreed; next-tour conversations due."),
    Report("Check-ins", "tours:report_checkins", "Per manager: tours up to date on check-ins, and overdue."),
    Report("Coverage and mix", "tours:report_coverage",
           "Active employees with a tour in force; tours by type and state."),
    Report("Outcomes", "tours:report_outcomes",
           "Tours ended per quarter: what followed, promises kept on each side, departures mid-tour."),
]  # fmt: skip


class AtRiskForm(ReportFilterForm):
    days = forms.IntegerField(label="Ending within (days)", min_value=1, max_value=730, initial=90, required=False)
    type = forms.ChoiceField(choices=[("", "Any type"), *Tour.Type.choices], required=False)


def _manager_name():
    return Coalesce(
        Concat("employee__manager__first_name", Value(" "), "employee__manager__last_name"), Value("(no manager)")
    )


def at_risk_conditions(today, days):
    """(ending within `days` with no successor agreed, next-tour conversation due with no next tour drafted)."""
    agreed_successor = Tour.objects.filter(predecessor=OuterRef("pk"), state__in=DONE)
    any_successor = Tour.objects.filter(predecessor=OuterRef("pk"))
    ending = Q(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days)) & ~Q(Exists(agreed_successor))
    conversation = Q(next_tour_on__lte=today, end_date__gte=today) & ~Q(Exists(any_successor))
    return ending, conversation


def covered_on(today):
    """An employee (a condition on Employee) with an agreed tour in force that day: the coverage report's and
    the HR dashboard's one definition. IN (subquery), not EXISTS: PostgreSQL hashes the covered ids once
    instead of probing per person."""
    return Q(pk__in=Tour.objects.in_force(today).values("employee_id"))


def company_summary(today=None):
    """The HR dashboard's people and tour numbers, counted afresh on every visit by the same rules as the
    reports behind them (the coverage, at-risk and check-ins reports): one aggregate over the people and
    one over the agreed tours (about a sixth of all tours; tour_state_end_idx finds them)."""
    today = today or timezone.localdate()
    ending, conversation = at_risk_conditions(today, 90)
    active = employed_on(today)
    totals = Employee.objects.aggregate(
        active=Count("pk", filter=active),
        departed=Count("pk", filter=~active),
        covered=Count("pk", filter=active & covered_on(today)),
    )
    live = Q(end_date__isnull=True) | Q(end_date__gte=today)
    tours = Tour.objects.filter(live, state=Tour.State.AGREED).aggregate(
        at_risk=Count("pk", filter=ending | conversation),
        overdue=Count("pk", filter=checkin_overdue_on(today)),
    )
    return {
        "active": totals["active"],
        "departed": totals["departed"],
        "coverage": percent(totals["covered"], totals["active"]),
        "at_risk": tours["at_risk"],
        "overdue_checkins": tours["overdue"],
    }


@login_required
def tours_at_risk(request):
    """Agreed tours ending within N days with no successor agreed, and tours whose next-tour
    conversation is due with no next tour even drafted; by team and manager."""
    people = scope(request.user)
    form = AtRiskForm(request.GET or None, user=request.user)
    people = form.people(people)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 90
    tours = Tour.objects.filter(employee__in=people, state=Tour.State.AGREED)
    if form.is_valid() and form.cleaned_data["type"]:
        tours = tours.filter(type=form.cleaned_data["type"])
    ending, conversation = at_risk_conditions(timezone.localdate(), days)
    rows = (
        tours.filter(ending | conversation)
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


@login_required
def coverage(request):
    """Share of active employees with an agreed tour in force; tours by type and state; who has none."""
    today = timezone.localdate()
    form = ReportFilterForm(request.GET or None, user=request.user)
    people = form.people(scope(request.user)).active(today)
    totals = people.aggregate(active=Count("pk"), covered=Count("pk", filter=covered_on(today)))
    tours = Tour.objects.filter(employee__in=people)
    mix = dict(tours.values_list("type").annotate(n=Count("pk")).order_by())
    states = dict(tours.values_list("state").annotate(n=Count("pk")).order_by())
    share = percent(totals["covered"], totals["active"])
    rows = [
        ("Active employees", totals["active"]),
        ("With an agreed tour in force", totals["covered"]),
        ("Without a tour in force", totals["active"] - totals["covered"]),
        ("Coverage", share),
    ]
    rows += [(f"{label} tours", mix.get(value, 0)) for value, label in Tour.Type.choices]
    rows += [(f"Tours {label.lower()}", states.get(value, 0)) for value, label in Tour.State.choices]
    return render_report(
        request, slug="tour-coverage", title="Coverage and mix", form=form, columns=["Measure", "Value"],
        description="Active employees with an agreed tour in force today, and every tour of theirs by type and state.",
        rows=rows, chart=[(label, mix.get(value, 0)) for value, label in Tour.Type.choices],
        chart_title="Tours by type",
    )  # fmt: skip


class OutcomeForm(ReportFilterForm):
    type = forms.ChoiceField(choices=[("", "Any type"), *Tour.Type.choices], required=False)


@login_required
def outcomes(request):
    """Tours ended per quarter by outcome, promises kept on each side, the internal next-tour rate,
    and departures in the middle of a tour."""
    form = OutcomeForm(request.GET or None, dates=True, user=request.user)
    people = form.people(scope(request.user))
    ended = Tour.objects.filter(employee__in=people, ended_on__isnull=False)
    # Resignations, read through the person (Employee.departures, the alumni app's rows) so that tours
    # does not import the app above it; "resigned" is alumni.models.Departure.Reason.RESIGNED.
    departures = people.filter(departures__reason="resigned").values(resigned_on=F("departures__departure_date"))
    if form.is_valid():
        data = form.cleaned_data
        if data["type"]:
            ended = ended.filter(type=data["type"])
        if data["since"]:
            ended, departures = (
                ended.filter(ended_on__gte=data["since"]),
                departures.filter(resigned_on__gte=data["since"]),
            )
        if data["until"]:
            ended, departures = (
                ended.filter(ended_on__lte=data["until"]),
                departures.filter(resigned_on__lte=data["until"]),
            )
    by_outcome = {value: Count("pk", filter=Q(outcome=value)) for value in Tour.Outcome.values}
    kept = {
        f"{side}_{value}": Count("pk", filter=Q(**{f"{side}_kept": value}))
        for side in ("company", "employee")
        for value in Tour.Kept.values
    }
    quarters = (
        ended.annotate(quarter=TruncQuarter("ended_on"))
        .values("quarter")
        .annotate(total=Count("pk"), **by_outcome, **kept)
        .order_by("quarter")
    )
    mid_tour = dict(
        departures.annotate(quarter=TruncQuarter("resigned_on"))
        .values_list("quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for q in quarters:
        moved_on = q["successor"] + q["planned_departure"] + q["ended_early"]
        rate = percent(q["successor"], moved_on)
        label = f"{q['quarter'].year} Q{(q['quarter'].month - 1) // 3 + 1}"
        rows.append(
            (
                label,
                q["total"],
                q["successor"],
                q["planned_departure"],
                q["ended_early"],
                rate,
                f"{q['company_yes']}/{q['company_partly']}/{q['company_no']}",
                f"{q['employee_yes']}/{q['employee_partly']}/{q['employee_no']}",
                mid_tour.get(q["quarter"], 0),
            )
        )
    return render_report(
        request, slug="tour-outcomes", title="Outcomes", form=form,
        description="Tours that ended, per quarter: what followed, whether each side kept its promises "
        "(yes/partly/no), the internal next-tour rate (next tour ÷ all endings) and resignations mid-tour.",
        columns=["Quarter", "Ended", "Next tour follows", "Planned departure", "Ended early", "Internal next-tour rate",
                 "Company kept (yes/partly/no)", "Employee kept (yes/partly/no)", "Resigned mid-tour"],
        rows=rows, chart=[(r[0], r[1]) for r in rows], chart_title="Tours ended per quarter",
    )  # fmt: skip


def checkin_counts(in_force, today):
    """(manager name, tours, up to date, overdue) per manager, by name: one grouped query (a
    Paginator adds the count). Both read Tour.checkin_due_on, the one definition of overdue:
    up to date = nothing unanswered has fallen due; overdue = checkin_overdue_on()."""
    overdue_before = today - datetime.timedelta(days=CHECKIN_GRACE_DAYS)
    return (
        in_force.values("employee__manager")
        .annotate(
            manager=_manager_name(),
            tours=Count("pk"),
            current=Count("pk", filter=Q(checkin_due_on__isnull=True) | Q(checkin_due_on__gt=today)),
            overdue=Count("pk", filter=Q(checkin_due_on__lt=overdue_before)),
        )
        .order_by("manager", "employee__manager")
        .values_list("manager", "tours", "current", "overdue")
    )


@login_required
def checkins(request):
    """Managers and HR, for the people in their scope: per manager, agreed tours in force, how many
    have every due check-in answered by both sides, and how many are overdue. 25 managers a page;
    the CSV has every row of the filter."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    people = form.people(scope(request.user))
    today = timezone.localdate()
    counts = checkin_counts(Tour.objects.in_force(today).filter(employee__in=people), today)
    page = None
    if request.GET.get("format") != "csv":
        page = counts = Paginator(counts, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = ((manager, t, c, percent(c, t), o) for manager, t, c, o in counts)
    if page is not None:
        rows = list(rows)
    return render_report(
        request, slug="check-ins", title="Check-ins", form=form, page=page,
        description="Agreed tours in force, per manager: how many are up to date (every check-in due so far "
        f"answered by both sides) and how many are overdue (a check-in unanswered {CHECKIN_GRACE_DAYS} days after "
        "its date).",
        columns=["Manager", "Tours in force", "Up to date", "Share", "Overdue"],
        rows=rows, chart=[(r[0], r[4]) for r in rows] if page is not None else [],
        chart_title="Overdue check-ins by manager",
    )  # fmt: skip
