"""The dashboard: for each role, the few things it acts on, gathered from every app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from alliance.models import Employee, Organization, Team
from alumni.reports import freshness as alumni_freshness
from networks.dashboard import cards as network_cards
from tours.dashboard import cards as tour_cards
from tours.reports import company_summary


def company_figures():
    """HR's company-wide figures, counted afresh on every visit (three aggregates and a count, a few ms at
    10,000 people): each is defined once, in the report it links to, so the card and the report agree."""
    return {**company_summary(), "teams": Team.objects.count(), "alumni_fresh": alumni_freshness()}


@login_required
def dashboard(request):
    """Everyone signed in: the few things their role acts on."""
    user, roles = request.user, request.roles
    context = {"organization": Organization.load(), "today": timezone.localtime()}
    if roles.hr:
        context["hr"] = company_figures()
    reports = []
    if roles.manager:
        reports = Employee.objects.direct_reports_of(roles.employee).select_related("team")
        reports = list(reports.order_by("last_name", "first_name"))
    context["reports"] = reports
    context.update(tour_cards(user, reports))
    context.update(network_cards(user))
    return render(request, "alliance/dashboard.html", context)
