"""Site-wide pages: the role dashboard, the company page, health."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from alliance import access
from alliance.forms import CompanyValueFormSet, OrganizationForm
from alliance.models import Employee, Organization
from alliance.snapshot import company_snapshot
from networks.dashboard import cards as network_cards
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


@login_required
def company(request):
    """Everyone signed in reads the mission and values; HR edits them."""
    organization = Organization.load()
    return render(
        request,
        "alliance/company.html",
        {"organization": organization, "values": organization.values.all()},
    )


@login_required
def company_edit(request):
    """HR only: the mission and the ordered list of values."""
    access.require_hr(request.user)
    organization = Organization.load()
    form = OrganizationForm(request.POST or None, instance=organization)
    formset = CompanyValueFormSet(request.POST or None, instance=organization, prefix="values")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        messages.success(request, "The company mission and values are saved.")
        return redirect("company")
    return render(request, "alliance/company_edit.html", {"form": form, "formset": formset})


@require_GET
@never_cache
def healthz(request):
    """No login, no personal data: does the app answer and does the database answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
