"""The agreement: read it, draft it, change it, propose it, sign it, discuss it, compare revisions, print it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alliance import access as people_access
from tours import access, merge, services
from tours.forms import (
    CommentForm,
    ObjectiveFormSet,
    SignForm,
    TermsForm,
    TourStartForm,
    add_objective_row,
    initial_terms,
    objectives_from,
)
from tours.models import Signature, Tour, TourRevision
from tours.timeline import checkin_timeline

# The name of the no-JavaScript "Add an objective" submit button (tour_form.html).
ADD_OBJECTIVE = "add_objective"


def _revision(tour, number):
    return (
        TourRevision.objects.filter(tour=tour, number=number)
        .select_related("author")
        .prefetch_related("values", "objectives", Prefetch("signatures__signer"))
        .first()
    )


@login_required
def tour_detail(request, pk):
    tour = access.get_tour_for_user(request.user, pk)
    # Every revision with its terms in one go (a tour has a handful): current and agreed are among them.
    revisions = list(
        tour.revisions.select_related("author")
        .prefetch_related("values", "objectives", Prefetch("signatures", Signature.objects.select_related("signer")))
        .order_by("-number")
    )
    by_pk = {r.pk: r for r in revisions}
    current = by_pk[tour.current_revision_id]
    agreed = by_pk.get(tour.agreed_revision_id)
    stale_signatures = [
        s for r in revisions if r.pk not in (current.pk, tour.agreed_revision_id) for s in r.signatures.all()
    ]
    role = access.party_role(request.user, tour)
    signed_roles = {s.role for s in current.signatures.all()}
    timeline = checkin_timeline(tour) if tour.agreed_revision_id else []
    soon = timezone.localdate() + datetime.timedelta(days=31)  # as tours.timeline.open_due_dates
    context = {
        "tour": tour,
        "terms": agreed or current,
        "current": current,
        "agreed": agreed,
        "revisions": revisions,
        "stale_signatures": stale_signatures,
        "signed_roles": signed_roles,
        "role": role,
        # A party who has not signed the revision awaiting signatures (proposed, or an amendment).
        "may_sign": bool(role)
        and (tour.state == Tour.State.PROPOSED or tour.amendment_pending)
        and role not in signed_roles,
        "actions": access.allowed_actions(request.user, tour),
        "comments": tour.comments.select_related("author"),
        "comment_form": CommentForm(),
        "timeline": timeline,
        "checkin_overdue": tour.checkin_overdue(),
        "checkin_open": bool(role)
        and tour.state == Tour.State.AGREED
        and any(role in d.missing() and d.due_on <= soon for d in timeline),
        "successor": Tour.objects.filter(predecessor=tour).first(),
    }
    return render(request, "tours/tour_detail.html", context)


@login_required
def tour_print(request, pk):
    tour = access.get_tour_for_user(request.user, pk)
    terms = _revision(tour, (tour.agreed_revision or tour.current_revision).number)
    return render(request, "tours/tour_print.html", {"tour": tour, "terms": terms})


def _save_new(request, start, form, formset):
    try:
        tour = services.tour_create(
            employee=start.cleaned_data["employee"],
            tour_type=start.cleaned_data["type"],
            programme=start.cleaned_data["programme"],
            terms=form.terms(),
            objectives=objectives_from(formset),
            values=form.cleaned_data["values"],
            author=request.user,
            change_note=form.cleaned_data["change_note"],
        )
    except services.TourError as error:
        form.add_error(None, str(error))
        return None
    messages.success(request, "The draft is saved. Propose it when it is ready for the other side.")
    return tour


@people_access.require("employee", "hr", message="Only employees and HR draft tours.")
def tour_create(request):
    """Two steps in one URL: choose employee, type and programme (GET), then write the terms (POST)."""
    params = request.POST if request.method == "POST" else request.GET
    bound = request.method == "POST" or "type" in params
    # A link from a person's page names them (?employee=); otherwise the form starts empty.
    initial = {} if bound else {"employee": request.GET.get("employee", "")[:300]}
    start = TourStartForm(params if bound else None, user=request.user, initial=initial)
    if not start.is_bound or not start.is_valid():
        return render(request, "tours/tour_start.html", {"start": start})
    employee = start.cleaned_data["employee"]
    if not access.may_draft_for(request.user, employee):
        raise PermissionDenied("You can draft tours for yourself and your direct reports.")
    tour_type, programme = start.cleaned_data["type"], start.cleaned_data["programme"]
    kwargs = {"tour_type": tour_type, "programme": programme}
    if request.method == "POST":
        form = TermsForm(request.POST, **kwargs)
        formset = ObjectiveFormSet(request.POST, prefix="objectives")
        if ADD_OBJECTIVE in request.POST:
            form, formset = add_objective_row(form, formset)
        elif form.is_valid() and formset.is_valid() and (tour := _save_new(request, start, form, formset)):
            return redirect(tour)
    else:
        initial, objectives = initial_terms(tour_type, employee, programme)
        form = TermsForm(initial=initial, **kwargs)
        formset = ObjectiveFormSet(initial=objectives, prefix="objectives")
    return render(
        request,
        "tours/tour_form.html",
        {"start": start, "form": form, "formset": formset, "employee": employee, "tour_type": tour_type},
    )


def _merged(tour, form, formset, error):
    """After an edit conflict: the form again, holding their changes and mine merged three ways (tours.merge),
    on top of the newest revision, with each term both of us changed marked for a choice."""
    base = _revision(tour, form.cleaned_data["base_revision"] or 0)
    newest = _revision(tour, error.newest.number)
    data, clashes = merge.merge(
        base=base,
        theirs=newest,
        terms=form.terms(),
        values=form.cleaned_data["values"],
        objectives=objectives_from(formset),
        change_note=form.cleaned_data["change_note"],
    )
    merged = TermsForm(data, tour_type=form.tour_type, programme=form.programme)
    merged_rows = ObjectiveFormSet(data, prefix="objectives")
    merged.is_valid(), merged_rows.is_valid()
    for clash in clashes:
        if clash.key in merged.fields:
            merged.add_error(clash.key, "You both changed this: choose which version to keep above.")
    merged.add_error(None, str(error))
    return merged, merged_rows, clashes, (_diff(base, newest) if base is not None else None), newest


CHOOSE = "You both changed the same terms: choose which version to keep for each, then save."


@login_required
def tour_edit(request, pk):
    """A change of terms is a new revision; the revision the form was opened on travels with it, and a save
    from an older one is merged with what was saved since (tours.merge). HR and the two parties; "Add an
    objective" re-renders the form with one more row, saving nothing."""
    tour = access.get_tour_for_user(request.user, pk, "edit")
    if not tour.is_editable:
        messages.error(request, "This tour has ended; its terms can no longer change.")
        return redirect(tour)
    current = _revision(tour, tour.current_revision.number)
    kwargs = {"tour_type": tour.type, "programme": tour.programme}
    status, conflict, clashes = 200, None, []
    if request.method == "POST":
        data, clashes = merge.resolve(request.POST)
        form = TermsForm(data, **kwargs)
        formset = ObjectiveFormSet(data, prefix="objectives")
        if ADD_OBJECTIVE in request.POST:
            form, formset = add_objective_row(form, formset)
        elif any(not clash.choice for clash in clashes):
            form.is_valid()
            form.add_error(None, CHOOSE)  # Save is refused until every clash has a choice
            status = 409
        elif form.is_valid() and formset.is_valid():
            try:
                revision = services.tour_revise(
                    tour=tour,
                    base_number=form.cleaned_data["base_revision"],
                    terms=form.terms(),
                    objectives=objectives_from(formset),
                    values=form.cleaned_data["values"],
                    author=request.user,
                    change_note=form.cleaned_data["change_note"],
                )
            except services.StaleRevision as error:
                form, formset, clashes, conflict, current = _merged(tour, form, formset, error)
                status = 409  # Conflict: someone saved a newer revision since this form was opened
            except services.TourError as error:
                form.add_error(None, str(error))
            else:
                if revision is None:
                    messages.info(request, f"Nothing changed: the terms are still revision {current.number}.")
                else:
                    messages.success(request, f"Saved as revision {revision.number}.")
                return redirect(tour)
    else:
        initial = {field: getattr(current, field) for field in services.TERM_FIELDS}
        initial.update(base_revision=current.number, values=list(current.values.all()))
        form = TermsForm(initial=initial, **kwargs)
        formset = ObjectiveFormSet(
            initial=[
                {"side": o.side, "description": o.description, "measure": o.measure, "ref": o.pk}
                for o in current.objectives.all()
            ],
            prefix="objectives",
        )
    base = str(form["base_revision"].value())  # the revision this form builds on: saving makes the next
    context = {
        "tour": tour,
        "form": form,
        "formset": formset,
        "employee": tour.employee,
        "tour_type": tour.type,
        "next_number": int(base) + 1 if base.isdigit() else current.number + 1,
        "base_number": base,
        "conflict": conflict,
        "clashes": clashes,
    }
    return render(request, "tours/tour_form.html", context, status=status)


def _act(request, tour, action, success):
    try:
        result = action()
    except services.TourError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(tour)


@login_required
@require_POST
def tour_propose(request, pk):
    tour = access.get_tour_for_user(request.user, pk, "propose")
    return _act(
        request,
        tour,
        lambda: services.tour_propose(tour=tour, user=request.user),
        "Proposed. The other side has been told and can now sign.",
    )


@login_required
@require_POST
def tour_sign(request, pk):
    tour = access.get_tour_for_user(request.user, pk, "sign")
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Sign from the tour page, after reading the terms.")
        return redirect(tour)
    return _act(
        request,
        tour,
        lambda: services.tour_sign(tour=tour, user=request.user, revision_number=form.cleaned_data["revision"]),
        lambda agreed: (
            "Signed by both sides: the tour is agreed."
            if agreed
            else "Signed. The tour is agreed once the other side signs this revision."
        ),
    )


@login_required
@require_POST
def tour_comment(request, pk):
    tour = access.get_tour_for_user(request.user, pk, "comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.tour_comment(tour=tour, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Comment added.")
    else:
        messages.error(request, "Write a comment first (at most 5,000 characters).")
    return redirect(f"{tour.get_absolute_url()}#comments")


@login_required
def tour_delete(request, pk):
    tour = access.get_tour_for_user(request.user, pk, "delete")
    if request.method == "POST":
        try:
            services.tour_delete_draft(tour=tour)
        except services.TourError as error:
            messages.error(request, str(error))
            return redirect(tour)
        messages.success(request, f"The draft “{tour.title}” was deleted.")
        return redirect("tours:index")
    if not tour.is_deletable:
        messages.error(request, "Only a draft can be deleted.")
        return redirect(tour)
    return render(request, "tours/tour_confirm_delete.html", {"tour": tour})


def _objective_rows(old, new):
    key = lambda o: (o.side, o.description, o.measure)  # noqa: E731
    old_keys, new_keys = {key(o) for o in old}, {key(o) for o in new}
    return [(o, key(o) not in new_keys) for o in old], [(o, key(o) not in old_keys) for o in new]


def _diff(old, new):
    """Two revisions side by side, for the compare page and the edit conflict."""
    fields = [f for f in services.TERM_FIELDS if f != "length_reason" or old.length_reason or new.length_reason]
    rows = []
    for name in fields:
        field = TourRevision._meta.get_field(name)
        before, after = getattr(old, name), getattr(new, name)
        rows.append((field.verbose_name, before, after, before != after))
    values_old = ", ".join(v.name for v in old.values.all())
    values_new = ", ".join(v.name for v in new.values.all())
    rows.append(("company values", values_old, values_new, values_old != values_new))
    old_objectives, new_objectives = _objective_rows(old.objectives.all(), new.objectives.all())
    return {"old": old, "new": new, "rows": rows, "old_objectives": old_objectives, "new_objectives": new_objectives}


@login_required
def tour_compare(request, pk):
    """Any two revisions side by side: each term, and the objectives only one of them has."""
    tour = access.get_tour_for_user(request.user, pk)
    numbers = list(tour.revisions.values_list("number", flat=True))
    try:
        b = int(request.GET.get("b", numbers[-1]))
        a = int(request.GET.get("a", numbers[-2] if len(numbers) > 1 else numbers[-1]))
    except ValueError:
        raise Http404("No such revision.") from None
    old, new = _revision(tour, a), _revision(tour, b)
    if old is None or new is None:
        raise Http404("No such revision.")
    return render(request, "tours/tour_compare.html", {"tour": tour, "numbers": numbers, **_diff(old, new)})
