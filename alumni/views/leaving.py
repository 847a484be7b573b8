"""Offboarding, invitations (send, revoke, accept) and rehiring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alliance import access as people_access
from alliance.forms import UndoDepartureForm
from alliance.models import Employee
from alliance.views.links import LinkFlow, link_page
from alumni import access, departures, services
from alumni.forms import OffboardForm, RehireForm
from alumni.models import Departure, Invitation


@login_required
def leave(request, pk):
    employee = access.get_leaver_for_user(request.user, pk)
    if employee.has_left():
        messages.info(request, f"{employee.full_name} has already left.")
        return redirect(employee)
    tours = list(departures.current_tours(employee, employee.departure_date or timezone.localdate()))
    is_hr = request.roles.hr
    form = OffboardForm(request.POST or None, employee=employee, is_hr=is_hr, has_tour=bool(tours))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            departures.offboard(
                employee=employee,
                by=request.user,
                departure_date=data["departure_date"],
                reason=data["reason"],
                exit_notes=data["exit_notes"],
                company_kept=data.get("company_kept", ""),
                employee_kept=data.get("employee_kept", ""),
                invite=data["invite"],
                rehire_eligible=form.eligibility() if is_hr else None,
                rehire_reason=data.get("rehire_reason", ""),
            )
        except services.AlumniError as error:
            form.add_error(None, str(error))
        else:
            invited = ""
            if data["invite"] and data["departure_date"] > timezone.localdate():
                invited = f" Their invitation to the alumni network will be sent on {data['departure_date']:%d %b %Y}."
            elif data["invite"]:
                invited = " An invitation to the alumni network is on its way."
            messages.success(request, f"{employee.full_name}'s departure is recorded.{invited}")
            return redirect(employee)
    reports = Employee.objects.direct_reports_of(employee).count()
    return render(
        request, "alumni/leave.html", {"employee": employee, "form": form, "tours": tours, "reports": reports}
    )


@login_required
@require_POST
@people_access.require("hr")
def invite(request, pk):
    profile = access.get_profile_for_user(request.user, pk)
    employee = profile.employee
    if employee.departure_date and not employee.has_left():  # still working here: invited on the day they leave
        try:
            day = services.invitation_schedule(employee=employee)
        except services.AlumniError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The invitation will be sent on {day:%d %b %Y}, the day they leave.")
        return redirect("alumni:detail", pk=profile.pk)
    try:
        services.send_invitation(employee=employee, by=request.user)
    except services.AlumniError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"A new invitation was sent to {profile.employee.user.email}; older links stop working."
        )
    return redirect("alumni:detail", pk=profile.pk)


@people_access.require("hr")
def revoke(request, pk, invitation_pk):
    profile = access.get_profile_for_user(request.user, pk)
    invitation = Invitation.objects.filter(pk=invitation_pk, employee=profile.employee).first()
    if invitation is None or invitation.state != "open":
        messages.error(request, "There is no open invitation to revoke.")
        return redirect("alumni:detail", pk=profile.pk)
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation)
        messages.success(request, "The invitation is revoked: its link no longer works.")
        return redirect("alumni:detail", pk=profile.pk)
    return render(request, "alumni/confirm_revoke.html", {"profile": profile})


MESSAGES = {
    "invalid": "This invitation link is not valid. Check that you copied the whole link from the email.",
    "used": "This invitation has already been used. Sign in with the password you set.",
    "revoked": "This invitation was withdrawn. Ask HR for a new one if you expected to join.",
    "expired": "This invitation has expired (links last 14 days). Ask HR to send you a new one.",
}


INVITATION = LinkFlow(
    model=Invitation,
    name="invitation",
    closed=MESSAGES,
    template="alumni/accept.html",
    use=services.invitation_accept,
    welcome="Welcome to the alumni network. Keep your profile current here.",
    next_url="alumni:me",
)


@never_cache
def accept(request, token):
    """The link from the invitation email: set a password, join, land on the profile."""
    return link_page(request, token, INVITATION)


@people_access.require("hr")
def rehire(request, pk):
    profile = access.get_profile_for_user(request.user, pk)
    departure = Departure.objects.filter(employee=profile.employee).first()
    ineligible = departure is not None and departure.rehire_eligible is False
    form = RehireForm(request.POST or None, ineligible=ineligible, editor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tour = services.rehire(
                profile=profile,
                by=request.user,
                rehired_on=data["rehired_on"],
                manager=data["manager"],
                job_title=data["job_title"],
                reason=data.get("reason", ""),
            )
        except services.AlumniError as error:
            form.add_error(None, str(error))
        else:
            employee, manager = profile.employee, data["manager"]
            if tour is not None:
                messages.success(request, f"{employee.full_name} is back. A draft first tour is ready.")
                return redirect(tour)
            messages.success(
                request,
                f"{employee.full_name} rejoins on {data['rehired_on']:%d %b %Y}. Until then their title, manager "
                f"and access stay as they are; that day they start reporting to {manager.full_name} and their "
                f"draft first tour, “Welcome back”, is made for the two of them to agree. They have been told.",
            )
            return redirect("alumni:detail", pk=profile.pk)
    return render(
        request,
        "alumni/rehire.html",
        {"profile": profile, "form": form, "departure": departure, "ineligible": ineligible},
    )


@login_required
@require_POST
def person_undo_departure(request, pk):
    """HR only, confirmed on the person page: the departure was recorded by mistake. Clearing a departure
    is never a side effect of editing the person (that gave former employees their access back)."""
    employee = people_access.get_employee_for_user(request.user, pk, write=True)
    form = UndoDepartureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to confirm that the departure was recorded by mistake.")
        return redirect(employee)
    try:
        departures.departure_undo(employee=employee)
    except services.AlumniError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{employee.full_name}'s departure is undone: they are employed again and open alumni invitations "
            "are revoked. Tours the departure ended stay ended, and HR or admin rights are not restored.",
        )
    return redirect(employee)
