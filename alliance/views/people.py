"""The people directory, person pages, HR's edits and the CSV import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance import access, imports
from alliance.forms import (
    EmployeeForm,
    ImportApplyForm,
    ImportUploadForm,
    PeopleFilterForm,
    UndoDepartureForm,
    find_employee,
)
from alliance.models import Employee
from alumni import services as alumni_services

PAGE_SIZE = 25


def _require_directory(user):
    if not (access.is_hr(user) or access.is_manager(user)):
        raise PermissionDenied("The people directory is for HR and managers.")


@login_required
def people_list(request):
    """HR sees everyone; a manager sees their whole subtree. Others are refused."""
    _require_directory(request.user)
    form = PeopleFilterForm(request.GET or None)
    people = Employee.objects.visible_to(request.user).with_related()
    status = request.GET.get("status", "active")
    if form.is_valid():
        data = form.cleaned_data
        for term in data["q"].split()[:5]:
            people = people.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(user__email__icontains=term)
                | Q(job_title__icontains=term)
            )
        if data["team"]:
            people = people.filter(team=data["team"])
        if data["manager"]:
            manager = find_employee(data["manager"])
            people = people.filter(manager=manager) if manager else people.none()
            if manager is None:
                form.add_error("manager", "No employee has that number or email.")
    if status == Employee.Status.ACTIVE:
        people = people.active()
    elif status == Employee.Status.DEPARTED:
        people = people.departed()
    people = people.with_report_count().order_by("last_name", "first_name", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alliance/people_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "status": status},
    )


@login_required
def person_detail(request, pk):
    """HR, the person themself, and any manager above them."""
    employee = access.get_employee_for_user(request.user, pk)
    reports = Employee.objects.direct_reports_of(employee).select_related("team").order_by("last_name", "first_name")
    return render(
        request,
        "alliance/person_detail.html",
        {
            "employee": employee,
            "reports": reports[:100],
            "report_count": reports.count(),
            "chain": employee.chain_of_command(),
            "can_edit": access.is_hr(request.user),
            "can_offboard": employee.is_active_on()
            and not employee.departure_date
            and (access.is_hr(request.user) or employee.user_id != request.user.pk),
            "can_undo_departure": access.is_hr(request.user) and employee.departure_date is not None,
            "alumni_profile": getattr(employee, "alumni_profile", None) if access.is_hr(request.user) else None,
            "tours": employee.tours.order_by("-start_date")[:20],
        },
    )


@login_required
def person_create(request):
    """HR only."""
    access.require_hr(request.user)
    form = EmployeeForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        employee = form.save()
        messages.success(request, f"{employee.full_name} is added.")
        return redirect(employee)
    return render(request, "alliance/person_form.html", {"form": form})


@login_required
def person_edit(request, pk):
    """HR only (others who can see the person get 403, the rest 404)."""
    employee = access.get_employee_for_user(request.user, pk, write=True)
    form = EmployeeForm(request.POST or None, instance=employee, editor=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{employee.full_name} is saved.")
        return redirect(employee)
    return render(request, "alliance/person_form.html", {"form": form, "employee": employee})


@login_required
@require_POST
def person_undo_departure(request, pk):
    """HR only, confirmed on the person page: the departure was recorded by mistake. Clearing a departure
    is never a side effect of editing the person (that gave former employees their access back)."""
    employee = access.get_employee_for_user(request.user, pk, write=True)
    form = UndoDepartureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to confirm that the departure was recorded by mistake.")
        return redirect(employee)
    try:
        alumni_services.departure_undo(employee=employee)
    except alumni_services.AlumniError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{employee.full_name}'s departure is undone: they are employed again and open alumni invitations "
            "are revoked. Tours the departure ended stay ended, and HR or admin rights are not restored.",
        )
    return redirect(employee)


@login_required
def import_upload(request):
    """HR only: upload a CSV and see what it would do. Nothing is written here."""
    access.require_hr(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"]
        plan = imports.plan_import(content, importer=request.user)
        return render(
            request,
            "alliance/import_preview.html",
            {"plan": plan, "apply_form": ImportApplyForm(initial={"content": content})},
        )
    return render(
        request,
        "alliance/import_upload.html",
        {"form": form, "required": imports.REQUIRED, "optional": imports.OPTIONAL},
    )


@login_required
@require_POST
def import_apply(request):
    """HR only: write the previewed file, all rows or none."""
    access.require_hr(request.user)
    form = ImportApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The import was not confirmed properly. Upload the file again.")
        return redirect("people:import")
    content = form.cleaned_data["content"]
    try:
        plan = imports.apply_import(content, importer=request.user)
    except ValueError:
        messages.error(
            request, "The file has problems (the data may have changed since the preview). Nothing was written."
        )
        return render(
            request,
            "alliance/import_preview.html",
            {"plan": imports.plan_import(content, importer=request.user), "apply_form": form},
        )
    counts = plan.counts
    messages.success(
        request,
        f"Import done: {counts['create']} added, {counts['update']} updated, {counts['unchanged']} unchanged.",
    )
    return redirect("people:list")
