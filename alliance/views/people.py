"""The people directory, HR's edits, sign-in links and the CSV import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliance import access, imports, services
from alliance.forms import EmployeeForm, ImportApplyForm, ImportUploadForm, person_label
from alliance.listfilters import PeopleFilterForm
from alliance.models import Employee, ImportJob
from alliance.pagination import CappedPaginator

PAGE_SIZE = 25
SEARCH_LIMIT = 10


@access.require("hr", "manager", message="The people directory is for HR and managers.")
def people_list(request):
    """HR sees everyone; a manager sees their whole subtree. Others are refused."""
    form = PeopleFilterForm(request.GET or None, user=request.user)
    people = Employee.objects.visible_to(request.user).for_directory()
    status = request.GET.get("status", "active")
    people = form.apply(people, status)
    people = people.with_report_count().order_by("last_name", "first_name", "id")
    page = CappedPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alliance/people_list.html",
        {"form": form, "page": page, "status": status},
    )


@login_required
@require_GET
@access.require("employee", "hr")
def person_search(request):
    """The person picker's suggestions: up to ten of the people the user may see whose name, employee
    number or email starts with `q` (at least 2 characters). Employees and HR; alumni are refused."""
    # No NUL: PostgreSQL refuses it in a query (a 500), and no name, number or email holds one.
    q = " ".join(request.GET.get("q", "").replace("\x00", "").split())
    if not 2 <= len(q) <= 100:
        return JsonResponse({"results": []})
    people = Employee.objects.visible_to(request.user).starting_with(q)
    if request.GET.get("active"):
        people = people.active()
    people = people.select_related("team").order_by("last_name", "first_name", "id")[:SEARCH_LIMIT]
    results = [
        {"name": p.full_name, "team": p.team.name if p.team else "", "number": p.employee_number}
        | {"label": person_label(p)}
        for p in people
    ]
    return JsonResponse({"results": results})


@access.require("hr")
def person_create(request):
    """HR only. The new person is emailed a link to choose their password (unless they have already left)."""
    form = EmployeeForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        employee = services.person_add(form=form, by=request.user)
        sent = "" if employee.has_left() else " A sign-in link is on its way to them."
        messages.success(request, f"{employee.full_name} is added.{sent}")
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
def person_send_link(request, pk):
    """HR only (others who can see the person get 403, the rest 404): email a link to choose a first password.
    Sending again asks for confirmation first, because the new link stops the earlier one."""
    employee = access.get_employee_for_user(request.user, pk, write=True)
    last_link = employee.sign_in_links.first()
    if last_link is not None and request.POST.get("confirm") != "yes":
        return render(request, "alliance/send_link_confirm.html", {"employee": employee, "last_link": last_link})
    try:
        services.sign_in_link_send(employee=employee, by=request.user)
    except services.SignInLinkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"A sign-in link is on its way to {employee.user.email}.")
    return redirect(employee)


@access.require("hr")
def import_upload(request):
    """HR only: upload a CSV and see what it would do. A clean file is kept (an ImportJob, nothing else is
    written) so the confirmation only names it: a 5 MB file never travels back through a form field."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"]
        plan = imports.plan_import(content, importer=request.user)
        job = services.import_job_preview(owner=request.user, content=content, plan=plan) if plan.ok else None
        return render(
            request,
            "alliance/import_preview.html",
            {"plan": plan, "apply_form": ImportApplyForm(initial={"job": job}) if job else None},
        )
    return render(
        request,
        "alliance/import_upload.html",
        {"form": form, "required": imports.REQUIRED, "optional": imports.OPTIONAL},
    )


@login_required
@require_POST
@access.require("hr")
def import_apply(request):
    """HR only: queue the previewed file; it is written in the background, all rows or none."""
    form = ImportApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "This import was already confirmed or its preview has expired. Upload the file again.")
        return redirect("people:import")
    job = form.cleaned_data["job"]
    services.import_job_confirm(job=job)
    return redirect(job)


@login_required
def import_status(request, pk):
    """HR only: an import's progress and outcome; the page refreshes itself until the import has finished."""
    job = access.get_import_job_for_user(request.user, pk)
    waiting = 0
    if job.state == ImportJob.State.DONE and job.created_ids:
        waiting = services.not_activated(Employee.objects.filter(pk__in=job.created_ids)).count()
    return render(request, "alliance/import_status.html", {"job": job, "waiting": waiting})


@login_required
@require_POST
def import_retry(request, pk):
    """HR only: run a failed import again (its file is kept a week after the failure)."""
    job = access.get_import_job_for_user(request.user, pk)
    if not services.import_job_retry(job=job):
        messages.error(request, "This import cannot be retried: it did not fail, or its file is no longer kept.")
    return redirect(job)


@login_required
@require_POST
def import_send_links(request, pk):
    """HR only: send sign-in links again to the people this import added who have not chosen a password."""
    job = access.get_import_job_for_user(request.user, pk)
    people = list(services.not_activated(Employee.objects.filter(pk__in=job.created_ids)).select_related("user"))
    services.sign_in_links_send(employees=people, by=request.user)
    messages.success(request, f"Sign-in links are on their way to {len(people)} people.")
    return redirect(job)
