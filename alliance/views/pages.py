"""Site-wide pages of the people core: the company page, health."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from alliance import access
from alliance.forms import CompanyValueFormSet, OrganizationForm
from alliance.models import Organization


@login_required
def company(request):
    """Everyone signed in reads the mission and values; HR edits them."""
    organization = Organization.load()
    return render(
        request,
        "alliance/company.html",
        {"organization": organization, "values": organization.values.all()},
    )


@access.require("hr")
def company_edit(request):
    """HR only: the mission and the ordered list of values."""
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


@require_safe  # GET and HEAD: probes send either
@never_cache
def healthz(request):
    """No login, no personal data: does the app answer and does the database answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
