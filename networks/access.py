"""Who sees and does what in network intelligence. Every networks view goes through these.

Contributions: Contribution.objects.visible_to(user) decides who sees one (see its docstring); a
departed person reaches their own only as a member of the alumni network (their access has ended).
Editing: the contributor, until it is rated. Rating: HR, or a manager above the contributor.
Fund: each person sees their own spending; managers their subtree's; HR everyone's.
Events: employees and HR read them; HR and managers record them; HR and whoever recorded one change it.
The views say who each page is for with @require (alliance.access); the helpers here decide per object.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from alliance import access
from alliance.models import Employee
from networks.models import Contribution, Event

EMPLOYEES_AND_HR = "This part of the network is for employees and HR."


def may_rate(user, contribution):
    if contribution.contributor.user_id == user.pk:
        return False
    if access.is_hr(user):
        return True
    me = access.current_employee(user)
    return me is not None and Employee.objects.subtree_of(me).filter(pk=contribution.contributor_id).exists()


def may_edit(user, contribution):
    return contribution.contributor.user_id == user.pk and not contribution.is_rated


def get_contribution_for_user(user, pk, action="view"):
    """404 if the user may not see it; 403 if they may see it but not edit or rate it."""
    if access.is_departed(user) and not access.is_alumnus(user):
        raise Http404("Your access has ended.")
    contribution = get_object_or_404(Contribution.objects.visible_to(user).with_related(), pk=pk)
    if action == "edit" and not may_edit(user, contribution):
        if contribution.contributor.user_id == user.pk:
            raise PermissionDenied("This insight has been rated, so it can no longer be changed.")
        raise PermissionDenied("Only the person who shared an insight can change it.")
    if action == "rate" and not may_rate(user, contribution):
        raise PermissionDenied("Only the contributor's managers or HR rate an insight.")
    return contribution


def fund_people_visible_to(user):
    """Whose network-fund spending the user may see."""
    return Employee.objects.visible_to(user)


def get_event_for_user(user, pk, action="view"):
    """Every event is seen by whoever may open the events pages; 403 for `edit` unless HR or its recorder."""
    event = get_object_or_404(Event.objects.select_related("created_by"), pk=pk)
    if action == "edit" and not may_edit_event(user, event):
        raise PermissionDenied("Only HR and the person who recorded an event change it.")
    return event


def may_edit_event(user, event):
    return access.is_hr(user) or event.created_by_id == user.pk
