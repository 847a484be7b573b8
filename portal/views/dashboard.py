"""The dashboard: for each role, the few things it acts on, gathered from every app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alliance import access
from alliance.models import Employee, Organization
from networks.dashboard import cards as network_cards
from portal.snapshot import company_snapshot
from tours.dashboard import cards as tour_cards


@login_required
def dashboard(request):
    """Everyone signed in: the few things their role acts on."""
    user = request.user
    context = {"organization": Organization.load()}
    if access.is_hr(user):
        snapshot = company_snapshot()
        context["hr"], context["hr_as_of"] = snapshot.figures, snapshot.taken_at
    me = access.current_employee(user)
    reports = []
    if access.is_manager(user):
        reports = Employee.objects.direct_reports_of(me).select_related("team")
        reports = list(reports.order_by("last_name", "first_name"))
    context["reports"] = reports
    context.update(tour_cards(user, reports))
    context.update(network_cards(user))
    return render(request, "alliance/dashboard.html", context)
