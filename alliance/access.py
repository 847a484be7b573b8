"""Who may do what with people, on top of the roles (alliance.roles: request.roles, one value per request).

The role readers below (is_hr, is_manager...) are the roles of a user object, for code that has a user and no
request; views use `@require(...)` or request.roles. Each object type has one access helper module like this
one (tours.access, networks.access, alumni.access): a `visible_to(user)` queryset and `get_<thing>_for_user()`
helpers that answer 404 when the user may not see the object and 403 when they may see it but not change it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from alliance.models import Employee, ImportJob, Notification
from alliance.roles import holds_hr, roles_of

HR_GROUP = "HR"

__all__ = ["holds_hr", "require"]  # holds_hr: PeopleBackend's HR rule, re-exported for callers


def is_departed(user):
    """A signed-in person whose employment has ended (an alumnus or not)."""
    return roles_of(user).departed


def is_hr(user):
    return roles_of(user).hr


def person(user):
    """The Employee record of this user, employed or not (None for anonymous or staff-only accounts)."""
    return roles_of(user).person


def current_employee(user):
    """The user's Employee record if they are employed today; a departed person gets None."""
    return roles_of(user).employee


def is_manager(user):
    return roles_of(user).manager


def is_alumnus(user):
    """Departed, and a member of the alumni network (they accepted the invitation). A departed person
    who is not a member can still sign in, but sees only that their access has ended."""
    return roles_of(user).alumnus


def unread_notifications(user):
    return roles_of(user).unread


REFUSALS = {
    ("hr",): "Only HR can do this.",
    ("employee", "hr"): "This is for employees and HR.",
    ("hr", "manager"): "This is for HR and managers.",
    ("alumnus",): "This is for members of the alumni network.",
}


def require(*roles, message=None):
    """A view decorator: sign-in required, then at least one of these roles ("hr", "employee", "manager",
    "alumnus"), else 403 with a message that says who the page is for. On a view with @require_POST or
    @require_GET it goes below them, under @login_required: a signed-out visitor is sent to sign in and a
    wrong method answers 405 before anyone's role is looked at."""
    refusal = message or REFUSALS.get(tuple(sorted(roles)), "You do not have access to this page.")

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.roles.any(*roles):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorator


def require_hr(user):
    """For the access helpers below, which decide per object; views use @require("hr")."""
    if not is_hr(user):
        raise PermissionDenied("Only HR can do this.")


def get_employee_for_user(user, pk, *, write=False):
    """Fetch a person within the user's scope: 404 if they may not see them, 403 if they may not edit.

    The scope is Employee.objects.visible_to(user), plus the user's own manager: an employee may open
    their manager's page (the card only, see sees_in_full), as it is linked from their own."""
    people = Employee.objects.with_related()
    me = current_employee(user)
    if me is not None and me.manager_id == pk:
        employee = people.get(pk=pk)
    else:
        employee = get_object_or_404(people.visible_to(user), pk=pk)
    if write:
        require_hr(user)
    return employee


def sees_in_full(user, employee):
    """Whoever get_employee_for_user() let in sees the whole page, except an employee on their own
    manager's page: the card only (name, title, team, email), not the alignment, tours or reports."""
    me = current_employee(user)
    return is_hr(user) or me is None or me.manager_id != employee.pk


def may_open_person(user, employee, *, in_scope=False):
    """Whether a name may link to the person's page, decided without a query: HR; the person themself;
    one's own manager (the card); one's direct report; or anyone on a list already filtered by the
    viewer's visible_to() (`in_scope`). It may say no where the page would open (a report's report on an
    unscoped list), never yes where it would not: get_employee_for_user() stays the rule."""
    if is_hr(user):
        return True
    me = current_employee(user)
    if me is None:
        return False
    return in_scope or employee.pk in (me.pk, me.manager_id) or employee.manager_id == me.pk


def hr_group():
    """The HR group with its permission (created by a migration; recreated here after a flush)."""
    group, created = Group.objects.get_or_create(name=HR_GROUP)
    if created:
        group.permissions.add(Permission.objects.get(codename="hr", content_type__app_label="alliance"))
    return group


def get_import_job_for_user(user, pk):
    """An import's status page: HR only (any HR, not just who uploaded it, so a colleague can follow up)."""
    require_hr(user)
    return get_object_or_404(ImportJob, pk=pk)


def get_notification_for_user(user, pk):
    """A notification is its recipient's alone: anyone else's is not found."""
    return get_object_or_404(Notification, pk=pk, user=user)
