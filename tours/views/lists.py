"""The tour list and HR's programme templates."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render

from alliance import access as people_access
from alliance.pagination import CappedPaginator
from tours.forms import ProgrammeForm, TourFilterForm
from tours.models import Programme, Tour


@people_access.require("employee", "hr", message="Tours of duty are for employees and HR.")
def tour_list(request):
    """Tours the viewer may see, newest first, filtered. Employees and HR only."""
    tours = Tour.objects.visible_to(request.user).for_list()
    form = TourFilterForm(request.GET or None, user=request.user)
    tours = form.apply(tours)
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
