"""HR's roster (with CSV export), one alumnus for HR, the directory, and referrals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alliance import access as people_access
from alliance import csvfiles
from alliance.listfilters import narrow
from alumni import access
from alumni.forms import DirectoryFilterForm, ReferralFilterForm, ReferralStatusForm, RosterFilterForm, TierForm
from alumni.models import STALE_AFTER, AlumniProfile, Departure, Invitation, Referral


@login_required
def index(request):
    if request.roles.hr:
        return redirect("alumni:roster")
    if request.roles.alumnus:
        return redirect("alumni:me")
    return redirect("alumni:directory")


def _filter(profiles, data):
    if data.get("employer"):
        profiles = profiles.filter(current_employer__icontains=data["employer"])
    if data.get("location"):
        profiles = profiles.filter(location__icontains=data["location"])
    if data.get("interest"):
        profiles = profiles.filter(**{data["interest"]: True})
    return profiles


def roster_profiles(request):
    """HR's roster, filtered by the request's query (the page, its CSV and the API): (form, profiles)."""
    latest = Departure.objects.filter(employee=OuterRef("employee")).order_by("-departure_date", "-id")
    profiles = (
        AlumniProfile.objects.visible_to(request.user)
        .departed()
        .select_related("employee__user")
        .annotate(eligible=Subquery(latest.values("rehire_eligible")[:1]))
    )
    form = RosterFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        profiles = _filter(profiles, data)
        for word in data["q"].split()[:4]:
            profiles = profiles.filter(
                Q(employee__first_name__icontains=word)
                | Q(employee__last_name__icontains=word)
                | Q(employee__user__email__icontains=word)
            )
        if data["tier"]:
            profiles = profiles.filter(tier=data["tier"])
        if data["eligible"]:
            profiles = profiles.filter(eligible={"yes": True, "no": False, "unknown": None}[data["eligible"]])
        if data["stale"]:
            profiles = profiles.stale()
        if data["fresh"]:
            profiles = profiles.filter(updated_at__gte=timezone.now() - STALE_AFTER)
        profiles = narrow(profiles, data, "employee__")
    return form, profiles.order_by("employee__last_name", "employee__first_name", "pk")


@people_access.require("hr")
def roster(request):
    form, profiles = roster_profiles(request)
    page = Paginator(profiles, 25).get_page(request.GET.get("page"))
    return render(request, "alumni/roster.html", {"form": form, "page": page})


@people_access.require("hr")
def roster_csv(request):
    _, profiles = roster_profiles(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alumni.csv"'
    writer = csvfiles.Writer(response)
    writer.writerow(
        [
            "name",
            "email",
            "tier",
            "rehire eligible",
            "employer",
            "title",
            "location",
            "interests",
            "last updated",
            "stale",
        ]
    )
    labels = {True: "yes", False: "no", None: "not decided"}
    for p in profiles.iterator(chunk_size=1000):
        writer.writerow(
            [
                p.employee.full_name,
                p.employee.user.email,
                p.get_tier_display(),
                labels[p.eligible],
                p.current_employer,
                p.current_title,
                p.location,
                "; ".join(p.interest_labels()),
                p.updated_at.date().isoformat(),
                "yes" if p.is_stale else "no",
            ]
        )
    return response


@people_access.require("hr")
def detail(request, pk):
    """HR's view of one alumnus: departures (with eligibility), invitations, tier, rehire."""
    profile = access.get_profile_for_user(request.user, pk)
    form = TierForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Tier saved.")
        return redirect("alumni:detail", pk=profile.pk)
    return render(
        request,
        "alumni/detail.html",
        {
            "profile": profile,
            "form": form,
            "departures": Departure.objects.filter(employee=profile.employee),
            # A departure still ahead: the invitation waits for its date (alumni.departures.departures_apply).
            "upcoming": None
            if profile.employee.has_left()
            else Departure.objects.filter(employee=profile.employee, is_current=True).first(),
            "invitations": Invitation.objects.filter(employee=profile.employee).select_related("employee"),
        },
    )


def directory_profiles(request):
    """The directory, filtered by the request's query (the page and the API): (form, profiles)."""
    profiles = AlumniProfile.objects.visible_to(request.user).in_directory()
    form = DirectoryFilterForm(request.GET or None)
    if form.is_valid():
        profiles = _filter(profiles, form.cleaned_data)
        for word in form.cleaned_data["q"].split()[:4]:  # by name only: the email is not the alumna's to show
            profiles = profiles.filter(Q(employee__first_name__icontains=word) | Q(employee__last_name__icontains=word))
    # One row per alumnus: the profile is one per person, and nothing joined here may repeat it.
    profiles = (
        profiles.select_related("employee").order_by("employee__last_name", "employee__first_name", "pk").distinct()
    )
    return form, profiles


@people_access.require("hr", "employee", "alumnus", message="The alumni directory is for employees and alumni.")
def directory(request):
    form, profiles = directory_profiles(request)
    page = Paginator(profiles, 25).get_page(request.GET.get("page"))
    return render(request, "alumni/directory.html", {"form": form, "page": page})


@people_access.require("hr")
def referrals(request):
    items = Referral.objects.select_related("referrer").order_by("-created_at")
    status = request.GET.get("status", "")
    if status in Referral.Status.values:
        items = items.filter(status=status)
    form = ReferralFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        items = narrow(items, form.cleaned_data, "referrer__")
    elif form.is_bound:
        items = items.none()
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "status": status,
        "statuses": Referral.Status.choices,
    }
    return render(request, "alumni/referrals.html", context)


@login_required
@require_POST
@people_access.require("hr")
def referral_status(request, pk):
    referral = get_object_or_404(Referral, pk=pk)
    form = ReferralStatusForm(request.POST, instance=referral)
    if form.is_valid():
        referral = form.save(commit=False)
        referral.status_changed_at = timezone.now()
        referral.save()
        messages.success(request, f"{referral.candidate_name}: {referral.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a valid status.")
    return redirect("alumni:referrals")
