"""Networking events the company hosts or attends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliance import access as people_access
from networks import access
from networks.forms import EventForm
from networks.models import Attendance, Event


@login_required
def event_list(request):
    access.require_employee_or_hr(request.user)
    events = Event.objects.annotate(attendee_count=Count("attendances")).order_by("-date", "-id")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    may_record = people_access.is_hr(request.user) or people_access.is_manager(request.user)
    return render(request, "networks/event_list.html", {"page": page, "may_record": may_record})


@login_required
def event_detail(request, pk):
    access.require_employee_or_hr(request.user)
    event = get_object_or_404(Event.objects.select_related("created_by"), pk=pk)
    attendances = event.attendances.select_related("employee__team").order_by("employee__last_name")
    me = people_access.current_employee(request.user)
    return render(
        request,
        "networks/event_detail.html",
        {
            "event": event,
            "attendances": attendances,
            "attending": me is not None and any(a.employee_id == me.pk for a in attendances),
            "may_edit": people_access.is_hr(request.user) or event.created_by_id == request.user.pk,
            "me": me,
        },
    )


def _save(form, user):
    with transaction.atomic():
        event = form.save(commit=False)
        if not event.pk:
            event.created_by = user
        event.save()
        listed = {e.pk for e in form.cleaned_data["attendees_text"]}
        event.attendances.filter(self_reported=False).exclude(employee__in=listed).delete()
        existing = set(event.attendances.values_list("employee_id", flat=True))
        Attendance.objects.bulk_create(Attendance(event=event, employee_id=pk) for pk in listed - existing)
    return event


@login_required
def event_edit(request, pk=None):
    access.require_event_editor(request.user)
    event = get_object_or_404(Event, pk=pk) if pk else None
    if event and not (people_access.is_hr(request.user) or event.created_by_id == request.user.pk):
        raise PermissionDenied("Only HR and the person who recorded an event change it.")
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = _save(form, request.user)
        messages.success(request, f"“{event.title}” saved.")
        return redirect(event)
    return render(request, "networks/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_attend(request, pk):
    """An employee marks (or unmarks) that they attended."""
    access.require_employee_or_hr(request.user)
    event = get_object_or_404(Event, pk=pk)
    me = people_access.current_employee(request.user)
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
