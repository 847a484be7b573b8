"""The alumnus's own pages: profile, edit, export, delete, referrals."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from alumni import access, privacy, services
from alumni.forms import ProfileForm, ReferralForm
from alumni.models import Departure, Referral
from tours.models import Tour


@login_required
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


@login_required
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


@login_required
def me_export(request):
    profile = access.my_profile(request.user)
    data = json.dumps(privacy.export(profile.employee), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-alliance-data.json"'
    return response


@login_required
def me_delete(request):
    profile = access.my_profile(request.user)
    if request.method == "POST":
        if request.POST.get("confirm") != "DELETE":
            messages.error(request, "Type DELETE in capitals to confirm.")
            return redirect("alumni:me_delete")
        privacy.erase(profile.employee)
        logout(request)
        return render(request, "alumni/deleted.html")
    return render(request, "alumni/me_delete.html", {"profile": profile})


@login_required
def referral_create(request):
    profile = access.my_profile(request.user)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.referral_create(form=form, referrer=profile.employee)
        messages.success(request, "Thank you for the referral. HR will be in touch with them.")
        return redirect("alumni:me")
    return render(request, "alumni/referral_form.html", {"form": form})
