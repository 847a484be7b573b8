"""The alumnus's own pages: profile, edit, referrals (export and erasure: portal.views.privacy)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from alliance import access as people_access
from alumni import access, services
from alumni.forms import ProfileForm, ReferralForm
from alumni.models import Departure, Referral
from tours.models import Tour


@people_access.require("alumnus", message=access.ALUMNI_ONLY)
def me(request):
    profile = access.my_profile(request.user)
    employee = profile.employee
    context = {
        "profile": profile,
        "employee": employee,
        "departures": Departure.objects.filter(employee=employee).only("departure_date", "reason"),
        "tours": Tour.objects.filter(employee=employee).exclude(agreed_revision=None).order_by("start_date"),
        "referrals": Referral.objects.filter(referrer=employee),
    }
    return render(request, "alumni/me.html", context)


@people_access.require("alumnus", message=access.ALUMNI_ONLY)
def me_edit(request):
    profile = access.my_profile(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        profile.updated_at = timezone.now()
        profile.save()
        messages.success(request, "Your profile is up to date. Thank you.")
        return redirect("alumni:me")
    return render(request, "alumni/me_edit.html", {"form": form})


@people_access.require("alumnus", message=access.ALUMNI_ONLY)
def referral_create(request):
    profile = access.my_profile(request.user)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.referral_create(form=form, referrer=profile.employee)
        messages.success(request, "Thank you for the referral. HR will be in touch with them.")
        return redirect("alumni:me")
    return render(request, "alumni/referral_form.html", {"form": form})
