"""Who may do what in the alumni app. Every alumni view goes through these.

Offboarding: HR, or a manager above the leaver. Roster, invitations, rehiring, referrals' status,
rehire eligibility: HR only. An alumnus reaches their own profile, the directory, and their
referrals; employees reach the directory; a departed person who has not joined reaches nothing."""

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


def my_profile(user):
    """The signed-in alumnus's own profile; 403 for everyone else."""
    if not access.is_alumnus(user):
        raise PermissionDenied("This page is for members of the alumni network.")
    return AlumniProfile.objects.select_related("employee__user", "employee__team").get(employee__user=user)


def require_directory(user):
    if not (access.is_hr(user) or access.current_employee(user) or access.is_alumnus(user)):
        raise PermissionDenied("The alumni directory is for employees and alumni.")


def get_profile_for_hr(user, pk):
    access.require_hr(user)
    return get_object_or_404(AlumniProfile.objects.select_related("employee__user", "employee__team"), pk=pk)
