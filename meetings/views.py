"""The 1:1 workspace of a tour: its shared agenda for the next check-in, and "We met".

Whoever may see the tour reads the agenda and each objective's progress; the two parties and HR add and tick
talking points and keep private notes; only the two parties record that they met (meetings/access.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import access, services, workspace
from meetings.forms import MetForm, PrivateNoteForm, TalkingPointForm
from tours.forms import ProgressForm


def _url(tour, anchor=""):
    return reverse("meetings:workspace", args=[tour.pk]) + anchor


def _page(request, tour, *, point_form=None, note_form=None, met_form=None, rows=None):
    data = workspace.context(request.user, tour)
    if data.get("due_on") and data["may_add"]:
        data["point_form"] = point_form or TalkingPointForm()
        data["note_form"] = note_form or PrivateNoteForm(instance=data["note"])
    if data.get("may_record"):
        data["met_form"] = met_form or MetForm(initial={"due_on": data["due_on"], "met_on": data["met_on"]})
        if rows is None:
            rows = [
                (o.objective, ProgressForm(prefix=f"objective-{o.objective.pk}", initial=_last(o)))
                for o in data["objectives"]
            ]
        data["rows"] = rows
    return render(request, "meetings/workspace.html", data)


def _last(progress):
    return {"status": progress.last.status} if progress.last else {}


@login_required
def workspace_view(request, pk):
    """Whoever may see the tour."""
    return _page(request, access.get_tour_for_user(request.user, pk))


@login_required
@require_POST
def point_add(request, pk):
    """The two parties and HR."""
    tour = access.get_tour_for_user(request.user, pk, "agenda")
    form = TalkingPointForm(request.POST)
    if form.is_valid():
        try:
            services.point_add(tour=tour, user=request.user, text=form.cleaned_data["text"])
        except services.TourError as error:  # no agenda open (any more): the page says why
            messages.error(request, str(error))
            return redirect(_url(tour))
        else:
            messages.success(request, "Added to the agenda.")
            return redirect(_url(tour, "#agenda"))
    return _page(request, tour, point_form=form)


@login_required
@require_POST
def point_cover(request, pk):
    """The two parties and HR tick a point covered (covered=1) or open again (covered=0)."""
    point = access.get_point_for_user(request.user, pk)
    try:
        services.point_cover(point=point, user=request.user, covered=request.POST.get("covered") == "1")
    except services.TourError as error:
        messages.error(request, str(error))
    return redirect(_url(point.tour, "#agenda"))


@login_required
@require_POST
def point_delete(request, pk):
    """Its author, while it is open."""
    point = access.get_point_for_user(request.user, pk, "delete")
    try:
        services.point_delete(point=point)
    except services.TourError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Removed from the agenda.")
    return redirect(_url(point.tour, "#agenda"))


@login_required
@require_POST
def note_save(request, pk):
    """The two parties and HR, each their own."""
    tour = access.get_tour_for_user(request.user, pk, "agenda")
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_save(tour=tour, user=request.user, text=form.cleaned_data["text"])
        except services.TourError as error:
            messages.error(request, str(error))
            return redirect(_url(tour))
        else:
            messages.success(request, "Your private notes are saved. Only you see them.")
            return redirect(_url(tour, "#my-notes"))
    return _page(request, tour, note_form=form)


@login_required
@require_POST
def we_met(request, pk):
    """The two parties: one side's "We met", which records their check-in for the agenda's date."""
    tour = access.get_tour_for_user(request.user, pk, "check_in")
    objectives = workspace.objectives_with_progress(tour)
    form = MetForm(request.POST)
    rows = [(o.objective, ProgressForm(request.POST, prefix=f"objective-{o.objective.pk}")) for o in objectives]
    if form.is_valid() and all(f.is_valid() for _, f in rows):
        data = form.cleaned_data
        try:
            services.meeting_record(
                tour=tour,
                user=request.user,
                due_on=data["due_on"],
                met_on=data["met_on"],
                other_side_keeping=data["other_side_keeping"],
                note=data["note"],
                progress=[(o, f.cleaned_data["status"], f.cleaned_data["note"]) for o, f in rows],
            )
        except services.TourError as error:
            messages.error(request, str(error))
            return redirect(_url(tour))
        tour.refresh_from_db(fields=["checkin_due_on"])
        if tour.checkin_due_on != data["due_on"]:
            done = "Both sides have recorded the meeting: the check-in is done and the next agenda is open."
        else:
            done = "Your side of the meeting is recorded. The agenda closes when the other side records theirs."
        messages.success(request, done)
        return redirect(_url(tour))
    return _page(request, tour, met_form=form, rows=rows)
