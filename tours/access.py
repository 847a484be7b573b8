"""Who may see and do what with a tour. Every tour view goes through get_tour_for_user().

See: HR, the employee, and every manager above them (Tour.objects.visible_to).
The two parties are the employee and their (direct) manager: only they sign and check in.
HR sees and comments on everything, drafts, edits and ends tours, but signs only as a party.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from alliance import access
from alliance.roles import roles_of
from tours.models import Signature, Tour


def party_role(user, tour):
    """'employee' or 'manager' if the user is a party to this tour's agreement, else None."""
    if tour.employee.user_id == user.pk:
        return Signature.Role.EMPLOYEE
    if tour.employee.manager_id and tour.employee.manager.user_id == user.pk:
        return Signature.Role.MANAGER
    return None


# action -> (who may, the message when they may not)
RULES = {
    "view": (lambda hr, role: True, ""),  # whoever Tour.objects.visible_to lets see it
    "comment": (lambda hr, role: True, ""),
    "edit": (lambda hr, role: hr or role, "Only the employee, their manager or HR can change the terms."),
    "propose": (lambda hr, role: hr or role, "Only the employee, their manager or HR can propose this tour."),
    "delete": (lambda hr, role: hr or role, "Only the employee, their manager or HR can delete this draft."),
    "plan_next": (lambda hr, role: hr or role, "Only the employee, their manager or HR can plan the next tour."),
    "sign": (lambda hr, role: role, "Only the employee and their manager sign a tour; HR signs only as a party."),
    "check_in": (lambda hr, role: role, "Only the employee and their manager check in on a tour."),
    # The 1:1 workspace's shared agenda (meetings): the two parties add and tick talking points, HR may help.
    "agenda": (lambda hr, role: hr or role, "Only the employee, their manager or HR add to the agenda of a check-in."),
    "end": (lambda hr, role: hr or role == Signature.Role.MANAGER, "Only the manager or HR can end a tour."),
}


STARTER = "Before your first day you can read your first tour; signing, changes and comments open on that day."


def can(user, tour, action):
    if roles_of(user).starter and action != "view":
        return False  # before their first day a person reads their first tour; the rest opens on that day
    allowed, _ = RULES[action]
    return bool(allowed(access.is_hr(user), party_role(user, tour)))


def allowed_actions(user, tour):
    return {action for action in RULES if can(user, tour, action)}


def get_tour_for_user(user, pk, action="view"):
    """404 if the user may not see the tour, 403 if they may see it but not do `action`."""
    tour = get_object_or_404(Tour.objects.visible_to(user).with_related(), pk=pk)
    if not can(user, tour, action):
        starter = roles_of(user).starter
        raise PermissionDenied(STARTER if starter else RULES[action][1])
    return tour


def may_draft_for(user, employee):
    """A tour may be drafted by the employee, their manager or HR, for someone employed or starting later
    (their first tour, read before their first day)."""
    if employee.has_left():
        return False
    if access.is_hr(user):
        return True
    me = access.current_employee(user)
    return me is not None and (employee.pk == me.pk or employee.manager_id == me.pk)
