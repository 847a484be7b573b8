"""The dashboard: for each role, the few things it acts on, gathered from every app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from alliance.models import Employee, Organization
from networks.dashboard import cards as network_cards
from portal.snapshot import company_snapshot
from tours.dashboard import cards as tour_cards


@login_required
def dashboard(request):
    """Everyone signed in: the few things their role acts on."""
    user, roles = request.user, request.roles
    context = {"organization": Organization.load(), "today": timezone.localtime()}
    if roles.hr:
        snapshot = company_snapshot()
        context["hr"], context["hr_as_of"] = snapshot.figures, snapshot.taken_at
    reports = []
    if roles.manager:
        reports = Employee.objects.direct_reports_of(roles.employee).select_related("team")
        reports = list(reports.order_by("last_name", "first_name"))
    context["reports"] = reports
    context.update(tour_cards(user, reports))
    context.update(network_cards(user))
    return render(request, "alliance/dashboard.html", context)
