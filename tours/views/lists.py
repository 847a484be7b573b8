"""The tour list and HR's programme templates."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from alliance import access as people_access
from alliance.pagination import CappedPaginator
from tours.forms import ProgrammeForm, TourFilterForm
from tours.models import Programme, Tour


@people_access.require("employee", "hr", message="Tours of duty are for employees and HR.")
def tour_list(request):
    """Tours the viewer may see, newest first, filtered. Employees and HR only."""
    tours = Tour.objects.visible_to(request.user).for_list()
    form = TourFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            for word in data["q"].split()[:5]:
                tours = tours.filter(
                    Q(title__icontains=word)
                    | Q(employee__first_name__icontains=word)
                    | Q(employee__last_name__icontains=word)
                )
        if data["type"]:
            tours = tours.filter(type=data["type"])
        if data["state"]:
            tours = tours.filter(state=data["state"])
        if data["team"]:
            tours = tours.filter(employee__team=data["team"])
        if data["manager"]:
            tours = tours.filter(employee__manager=data["manager"])
        if data["ending_within"] is not None:
            today = timezone.localdate()
            tours = tours.filter(
                state=Tour.State.AGREED,
                end_date__gte=today,
                end_date__lte=today + datetime.timedelta(days=data["ending_within"]),
            ).order_by("end_date", "id")
    elif form.is_bound:
        tours = tours.none()  # a filter with an error (a manager no one matches) shows nothing, not everything
    page = CappedPaginator(tours, 25).get_page(request.GET.get("page"))
    return render(request, "tours/tour_list.html", {"form": form, "page": page})


@people_access.require("hr")
def programme_list(request):
    page = Paginator(Programme.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "tours/programme_list.html", {"page": page})


@people_access.require("hr")
def programme_edit(request, pk=None):
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Programme “{form.instance.name}” saved.")
        return redirect("tours:programmes")
    return render(request, "tours/programme_form.html", {"form": form, "programme": programme})


@people_access.require("hr")
def programme_delete(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    if request.method == "POST":
        try:
            programme.delete()
        except ProtectedError:
            messages.error(request, f"Tours use “{programme.name}”: mark it inactive instead of deleting it.")
            return redirect("tours:programme_edit", pk=programme.pk)
        messages.success(request, f"Programme “{programme.name}” deleted.")
        return redirect("tours:programmes")
    return render(request, "tours/programme_confirm_delete.html", {"programme": programme})
