"""Who may do what in the alumni app. Every alumni view goes through these.

Offboarding: HR, or a manager above the leaver. Roster, invitations, rehiring, referrals' status,
rehire eligibility: HR only. An alumnus reaches their own profile, the directory, and their
referrals; employees reach the directory; a departed person who has not joined reaches nothing.
Views say who a page is for with @require (alliance.access); profiles are fetched through
AlumniProfile.objects.visible_to(user)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from alliance import access
from alliance.models import Employee
from alumni.models import AlumniProfile


def get_leaver_for_user(user, pk):
    """The employee someone wants to offboard: 404 outside their scope, 403 for themself or without the right."""
    employee = get_object_or_404(Employee.objects.visible_to(user).with_related(), pk=pk)
    me = access.current_employee(user)
    if not access.is_hr(user) and (me is None or employee.pk == me.pk):
        raise PermissionDenied("HR or the leaver's manager records a departure.")
    return employee


ALUMNI_ONLY = "This page is for members of the alumni network."


def _profiles(user):
    return AlumniProfile.objects.visible_to(user).select_related("employee__user", "employee__team")


def my_profile(user):
    """The signed-in alumnus's own profile (the views let in alumni only: @require("alumnus"))."""
    return get_object_or_404(_profiles(user), employee__user=user)


def get_profile_for_user(user, pk):
    """One alumnus's profile as HR's pages show it (the views let in HR only); 404 outside the user's scope."""
    return get_object_or_404(_profiles(user), pk=pk)
