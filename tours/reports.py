"""Tour reports: at risk, check-ins, coverage and mix, outcomes. Figures are database aggregates."""

import datetime
from functools import partial

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Concat, TruncQuarter
from django.utils import timezone

from alliance.listfilters import NONE
from alliance.models import Employee
from alliance.querysets import among, employed_on
from alliance.reporting import (
    REPORT_PAGE_SIZE,
    Report,
    ReportFilterForm,
    figure,
    percent,
    render_report,
    scope,
)
from tours.models import Tour
from tours.querysets import checkin_overdue_on
from tours.schedule import CHECKIN_GRACE_DAYS, add_months
from tours.trends import CHECKINS, COVERAGE, OUTCOMES, coverage_values
from trends.series import month_start, shown

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


CHECKIN_HEADS_UP_DAYS = 14  # "due in the next 14 days" on the check-ins report


def checkin_conditions(today):
    """The check-ins report's columns as conditions on a tour in force (Tour.checkin_due_on, the one
    definition of overdue): up to date (nothing unanswered has fallen due), due in the next 14 days (due
    now or within 14 days, not yet overdue) and overdue (checkin_overdue_on). The tour list's filters
    (`focus`) use the same, so each figure links to exactly its tours."""
    overdue_before = today - datetime.timedelta(days=CHECKIN_GRACE_DAYS)
    return {
        "up_to_date": Q(checkin_due_on__isnull=True) | Q(checkin_due_on__gt=today),
        "due_soon": Q(
            checkin_due_on__gte=overdue_before, checkin_due_on__lte=today + datetime.timedelta(CHECKIN_HEADS_UP_DAYS)
        ),
        "overdue": Q(checkin_due_on__lt=overdue_before),
    }


def tour_focus(tours, focus, today, *, days=90):
    """The tour list's `focus` filter: the tours a report figure counts, by that report's definitions."""
    if focus == "in_force":
        return tours.in_force(today)
    if focus in ("up_to_date", "due_soon", "overdue"):
        return tours.in_force(today).filter(checkin_conditions(today)[focus])
    if focus in ("at_risk", "ending", "conversation"):
        ending, conversation = at_risk_conditions(today, days)
        condition = {"at_risk": ending | conversation, "ending": ending, "conversation": conversation}[focus]
        return tours.filter(condition, state=Tour.State.AGREED)
    if focus == "ended":
        return tours.filter(ended_on__isnull=False)
    return tours


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
    # As Employee.objects.departed() (the people directory's "departed"): a starter is neither.
    departed = Q(departure_date__lte=today) & ~Q(returns_on__lte=today)
    totals = Employee.objects.aggregate(
        active=Count("pk", filter=active),
        departed=Count("pk", filter=departed),
        covered=Count("pk", filter=active & covered_on(today)),
    )
    live = Q(end_date__isnull=True) | Q(end_date__gte=today)
    tours = Tour.objects.filter(live, state=Tour.State.AGREED).aggregate(
        at_risk=Count("pk", filter=ending | conversation),
        overdue=Count("pk", filter=checkin_overdue_on(today)),
    )
    return {
        "active": figure(totals["active"], "people:list", status="active"),
        "departed": figure(totals["departed"], "people:list", status="departed"),
        "coverage": percent(totals["covered"], totals["active"]),
        "covered": figure(totals["covered"], "people:list", status="active", tour="covered"),
        "at_risk": figure(tours["at_risk"], "tours:index", focus="at_risk", ending_within=90),
        "overdue_checkins": figure(tours["overdue"], "tours:index", focus="overdue"),
    }


@login_required
def tours_at_risk(request):
    """Agreed tours ending within N days with no successor agreed, and tours whose next-tour
    conversation is due with no next tour even drafted; by team and manager."""
    people = scope(request.user)
    form = AtRiskForm(request.GET or None, user=request.user)
    people = form.people(people)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 90
    tours = among(Tour.objects.filter(state=Tour.State.AGREED), "employee", people)
    if form.is_valid() and form.cleaned_data["type"]:
        tours = tours.filter(type=form.cleaned_data["type"])
    ending, conversation = at_risk_conditions(timezone.localdate(), days)
    groups = (
        tours.filter(ending | conversation)
        .values("employee__team", "employee__manager")
        .annotate(
            team=F("employee__team__name"), manager=_manager_name(), number=F("employee__manager__employee_number"),
            ending=Count("pk", filter=ending), conversation=Count("pk", filter=conversation),
        )
        .order_by("team", "manager", "employee__manager")
    )  # fmt: skip
    base = {**form.list_params(), "type": form.cleaned_data["type"] or None if form.is_valid() else None}
    base["ending_within"] = days
    rows = []
    for g in groups:
        group = {**base, "team": g["employee__team"] or NONE, "manager": g["number"] or NONE}
        rows.append((
            g["team"] or "(no team)", g["manager"],
            figure(g["ending"], "tours:index", **group, focus="ending"),
            figure(g["conversation"], "tours:index", **group, focus="conversation"),
        ))  # fmt: skip
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
        chart_column=2,
        chart_label=lambda row: f"{row[0]} · {row[1]}",
        chart_title=f"Tours ending within {days} days without a successor, by team and manager",
    )


@login_required
def coverage(request):
    """Share of active employees with an agreed tour in force; tours by type and state; who has none."""
    today = timezone.localdate()
    form = ReportFilterForm(request.GET or None, user=request.user)
    in_scope = form.people(scope(request.user))
    people = in_scope.active(today)
    totals = people.aggregate(active=Count("pk"), covered=Count("pk", filter=covered_on(today)))
    tours = among(Tour.objects.all(), "employee", people)
    mix = dict(tours.values_list("type").annotate(n=Count("pk")).order_by())
    states = dict(tours.values_list("state").annotate(n=Count("pk")).order_by())
    share = percent(totals["covered"], totals["active"])
    base = form.list_params()
    rows = [
        ("Active employees", figure(totals["active"], "people:list", **base, status="active")),
        ("With an agreed tour in force",
         figure(totals["covered"], "people:list", **base, status="active", tour="covered")),
        ("Without a tour in force",
         figure(totals["active"] - totals["covered"], "people:list", **base, status="active", tour="none")),
        ("Coverage", share),
    ]  # fmt: skip
    rows += [
        (f"{label} tours", figure(mix.get(value, 0), "tours:index", **base, type=value, employed=1))
        for value, label in Tour.Type.choices
    ]
    # The trend's measures, by its own function (tours.trends): today's row of the trend below is these figures.
    now = coverage_values(today, in_scope)
    signed = {"signed_from": month_start(today).isoformat(), "signed_to": today.isoformat()}
    rows += [
        (f"{label} tours in force", figure(now[f"tours_in_force_{value}"], "tours:index", **base, type=value,
                                           focus="in_force", employed=1))
        for value, label in Tour.Type.choices
    ]  # fmt: skip
    rows += [
        (f"{label} tours signed this month",
         figure(now[f"tours_signed_{value}"], "tours:index", **base, type=value, **signed))
        for value, label in Tour.Type.choices
    ]  # fmt: skip
    rows += [
        (f"Tours {label.lower()}", figure(states.get(value, 0), "tours:index", **base, state=value, employed=1))
        for value, label in Tour.State.choices
    ]
    return render_report(
        request, slug="tour-coverage", title="Coverage and mix", form=form, columns=["Measure", "Value"],
        description="Active employees with an agreed tour in force today, and every tour of theirs by type and state.",
        rows=rows, chart_labels={f"{label} tours" for _, label in Tour.Type.choices}, chart_title="Tours by type",
        trend=partial(shown, COVERAGE, live=now) if form.company_wide() else None,
    )  # fmt: skip


class OutcomeForm(ReportFilterForm):
    type = forms.ChoiceField(choices=[("", "Any type"), *Tour.Type.choices], required=False)


@login_required
def outcomes(request):
    """Tours ended per quarter by outcome, promises kept on each side, the internal next-tour rate,
    and departures in the middle of a tour."""
    form = OutcomeForm(request.GET or None, dates=True, user=request.user)
    people = form.people(scope(request.user))
    ended = among(Tour.objects.filter(ended_on__isnull=False), "employee", people)
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
        .annotate(n=Count("pk", distinct=True))  # people, as the people directory lists them
        .order_by()
    )
    data = form.cleaned_data if form.is_valid() else {}
    base = {**form.list_params(), "type": data.get("type") or None, "focus": "ended"}
    rows = []
    for q in quarters:
        first = q["quarter"]
        last = add_months(first, 3) - datetime.timedelta(days=1)
        first, last = max(first, data.get("since") or first), min(last, data.get("until") or last)
        ended_in = {**base, "ended_from": first.isoformat(), "ended_to": last.isoformat()}
        moved_on = q["successor"] + q["planned_departure"] + q["ended_early"]
        rate = percent(q["successor"], moved_on)
        label = f"{q['quarter'].year} Q{(q['quarter'].month - 1) // 3 + 1}"
        rows.append(
            (
                label,
                figure(q["total"], "tours:index", **ended_in),
                *(figure(q[value], "tours:index", **ended_in, outcome=value) for value in Tour.Outcome.values),
                rate,
                f"{q['company_yes']}/{q['company_partly']}/{q['company_no']}",
                f"{q['employee_yes']}/{q['employee_partly']}/{q['employee_no']}",
                figure(
                    mid_tour.get(q["quarter"], 0),
                    "people:list",
                    **form.list_params(),
                    status="",
                    resigned_from=first.isoformat(),
                    resigned_to=last.isoformat(),
                ),
            )
        )
    return render_report(
        request, slug="tour-outcomes", title="Outcomes", form=form,
        description="Tours that ended, per quarter: what followed, whether each side kept its promises "
        "(yes/partly/no), the internal next-tour rate (next tour ÷ all endings) and resignations mid-tour.",
        columns=["Quarter", "Ended", "Next tour follows", "Planned departure", "Ended early", "Internal next-tour rate",
                 "Company kept (yes/partly/no)", "Employee kept (yes/partly/no)", "Resigned mid-tour"],
        rows=rows, chart_title="Tours ended per quarter",
        trend=partial(shown, OUTCOMES) if form.company_wide() else None,
    )  # fmt: skip


def checkin_counts(in_force, today):
    """Per manager, by name: (manager id, manager name, employee number, tours, up to date, due in the next 14
    days, overdue), one grouped query (a Paginator adds the count), by checkin_conditions()."""
    conditions = checkin_conditions(today)
    return (
        in_force.values("employee__manager")
        .annotate(
            manager=_manager_name(),
            number=F("employee__manager__employee_number"),
            tours=Count("pk"),
            current=Count("pk", filter=conditions["up_to_date"]),
            due_soon=Count("pk", filter=conditions["due_soon"]),
            overdue=Count("pk", filter=conditions["overdue"]),
        )
        .order_by("manager", "employee__manager")
        .values_list("manager", "number", "tours", "current", "due_soon", "overdue")
    )


@login_required
def checkins(request):
    """Managers and HR, for the people in their scope: per manager, agreed tours in force, how many
    have every due check-in answered by both sides, how many are due in the next 14 days and how many are
    overdue. 25 managers a page; the CSV has every row of the filter. Each count links to its tours."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    people = form.people(scope(request.user))
    today = timezone.localdate()
    counts = checkin_counts(among(Tour.objects.in_force(today), "employee", people), today)
    page = None
    if request.GET.get("format") != "csv":
        page = counts = Paginator(counts, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    base = form.list_params()

    def row(manager, number, tours, current, due_soon, overdue):
        group = {**base, "manager": number or NONE}
        return (
            manager,
            figure(tours, "tours:index", **group, focus="in_force"),
            figure(current, "tours:index", **group, focus="up_to_date"),
            percent(current, tours),
            figure(due_soon, "tours:index", **group, focus="due_soon"),
            figure(overdue, "tours:index", **group, focus="overdue"),
        )

    rows = (row(*counts_row) for counts_row in counts)
    return render_report(
        request, slug="check-ins", title="Check-ins", form=form, page=page,
        description="Agreed tours in force, per manager: how many are up to date (every check-in due so far "
        f"answered by both sides), how many have a check-in due in the next {CHECKIN_HEADS_UP_DAYS} days (or due "
        f"now and not yet overdue) and how many are overdue (a check-in unanswered {CHECKIN_GRACE_DAYS} days after "
        "its date). Each figure opens the list of its tours.",
        columns=["Manager", "Tours in force", "Up to date", "Share", f"Due in the next {CHECKIN_HEADS_UP_DAYS} days",
                 "Overdue"],
        rows=rows, chart_column=5, chart_title="Overdue check-ins by manager",
        trend=partial(shown, CHECKINS) if form.company_wide() else None,
    )  # fmt: skip
