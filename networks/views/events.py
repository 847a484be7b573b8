"""Networking events the company hosts or attends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance import access as people_access
from networks import access, services
from networks.forms import EventForm
from networks.models import Attendance, Event


@people_access.require("employee", "hr", message=access.EMPLOYEES_AND_HR)
def event_list(request):
    events = Event.objects.annotate(attendee_count=Count("attendances")).order_by("-date", "-id")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    may_record = request.roles.any("hr", "manager")
    return render(request, "networks/event_list.html", {"page": page, "may_record": may_record})


@people_access.require("employee", "hr", message=access.EMPLOYEES_AND_HR)
def event_detail(request, pk):
    event = access.get_event_for_user(request.user, pk)
    attendances = event.attendances.select_related("employee__team").order_by("employee__last_name")
    me = request.roles.employee
    return render(
        request,
        "networks/event_detail.html",
        {
            "event": event,
            "attendances": attendances,
            "attending": me is not None and any(a.employee_id == me.pk for a in attendances),
            "may_edit": access.may_edit_event(request.user, event),
            "me": me,
        },
    )


@people_access.require("hr", "manager", message="HR and managers record events.")
def event_edit(request, pk=None):
    event = access.get_event_for_user(request.user, pk, "edit") if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = services.event_save(form=form, by=request.user)
        messages.success(request, f"“{event.title}” saved.")
        return redirect(event)
    return render(request, "networks/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
@people_access.require("employee", "hr", message=access.EMPLOYEES_AND_HR)
def event_attend(request, pk):
    """An employee marks (or unmarks) that they attended."""
    event = access.get_event_for_user(request.user, pk)
    me = request.roles.employee
    if me is None:
        messages.error(request, "Only employees attend events.")
        return redirect(event)
    attendance, created = Attendance.objects.get_or_create(event=event, employee=me, defaults={"self_reported": True})
    if not created:
        attendance.delete()
        messages.success(request, "You are no longer listed as attending.")
    else:
        messages.success(request, "Marked: you attended.")
    return redirect(event)
