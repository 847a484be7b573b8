"""Serving the tour: check-ins, planning the next tour, ending it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tours import access, services
from tours.forms import CheckInForm, EndTourForm, ProgressForm
from tours.models import Tour
from tours.timeline import open_due_dates


@login_required
def tour_check_in(request, pk):
    """One side's check-in: per objective a status and a note, and whether the other side keeps its promises."""
    tour = access.get_tour_for_user(request.user, pk, "check_in")
    side = access.party_role(request.user, tour)
    dates = open_due_dates(tour, side) if tour.state == Tour.State.AGREED else []
    if not dates:
        messages.info(request, "No check-in is due from you on this tour right now.")
        return redirect(tour)
    objectives = list(tour.agreed_revision.objectives.all())
    data = request.POST if request.method == "POST" else None
    form = CheckInForm(data, due_dates=dates, initial={"due_on": dates[0].isoformat()})
    rows = [(o, ProgressForm(data, prefix=f"objective-{o.pk}")) for o in objectives]
    if data is not None and form.is_valid() and all(f.is_valid() for _, f in rows):
        try:
            services.tour_check_in(
                tour=tour,
                user=request.user,
                due_on=form.cleaned_data["due_on"],
                other_side_keeping=form.cleaned_data["other_side_keeping"],
                note=form.cleaned_data["note"],
                progress=[(o, f.cleaned_data["status"], f.cleaned_data["note"]) for o, f in rows],
            )
        except services.TourError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Check-in recorded.")
            return redirect(f"{tour.get_absolute_url()}#check-ins")
    other = "manager" if side == "employee" else "employee"
    return render(request, "tours/checkin_form.html", {"tour": tour, "form": form, "rows": rows, "other": other})


@login_required
@require_POST
def tour_plan_next(request, pk):
    tour = access.get_tour_for_user(request.user, pk, "plan_next")
    try:
        successor = services.tour_plan_next(tour=tour, user=request.user)
    except services.TourError as error:
        messages.error(request, str(error))
        return redirect(tour)
    messages.success(request, "A draft of the next tour, pre-filled from this one. Change what should change.")
    return redirect(successor)


@login_required
def tour_end(request, pk):
    tour = access.get_tour_for_user(request.user, pk, "end")
    if tour.state != Tour.State.AGREED:
        messages.error(request, "Only an agreed tour can end.")
        return redirect(tour)
    initial = {"ended_on": tour.end_date or timezone.localdate()}
    if Tour.objects.filter(predecessor=tour).exists():
        initial["outcome"] = Tour.Outcome.SUCCESSOR
    form = EndTourForm(request.POST or None, instance=tour, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tour_end(tour=tour, **{f: form.cleaned_data[f] for f in EndTourForm.Meta.fields})
        except services.TourError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The tour has ended and its outcome is recorded.")
            return redirect(tour)
    return render(request, "tours/tour_end.html", {"tour": tour, "form": form})
