"""Who is who. Roles come from the signed-in user; each object type's visible_to() uses these.

HR: the `alliance.hr` permission (the "HR" group has it), held by an employed person: a departed
person is never HR, whatever groups they still hold (accounts with no Employee record, such as an
operator's, keep it). Employee: a user whose Employee record is active today. Manager: an employee
with direct reports (Employee.objects.direct_reports_of; sees their whole subtree). Alumnus: a
departed employee who joined the alumni network (alumni app). Values are cached on the user object,
which lives for one request; alliance.backends.PeopleBackend fills them all in the query that loads
the signed-in user.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

HR_GROUP = "HR"


def holds_hr(user, *, has_permission, person):
    """The HR rule, shared with PeopleBackend: the permission, on an active sign-in, of someone who is
    not departed. Checked on every request, so a departure ends HR on its date even if the daily step
    (apply_lifecycle_dates) that removes the groups has not run."""
    return user.is_active and has_permission and (person is None or person.is_active_on())


def is_departed(user):
    """A signed-in person whose employment has ended (an alumnus or not)."""
    me = person(user)
    return me is not None and not me.is_active_on()


def is_hr(user):
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_alliance_is_hr"):
        user._alliance_is_hr = holds_hr(user, has_permission=user.has_perm("alliance.hr"), person=person(user))
    return user._alliance_is_hr


def person(user):
    """The Employee record of this user, employed or not (None for anonymous or staff-only accounts)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_alliance_person"):
        from alliance.models import Employee

        user._alliance_person = Employee.objects.select_related("team", "manager").filter(user=user).first()
    return user._alliance_person


def current_employee(user):
    """The user's Employee record if they are employed today; a departed person gets None."""
    me = person(user)
    return me if me is not None and me.is_active_on() else None


def is_manager(user):
    me = current_employee(user)
    if me is None:
        return False
    if not hasattr(user, "_alliance_is_manager"):
        user._alliance_is_manager = type(me).objects.direct_reports_of(me).exists()
    return user._alliance_is_manager


def is_alumnus(user):
    """Departed, and a member of the alumni network (they accepted the invitation). A departed person
    who is not a member can still sign in, but sees only that their access has ended."""
    me = person(user)
    if me is None or me.is_active_on():
        return False
    if not hasattr(user, "_alliance_is_alumnus"):
        from alumni.models import AlumniProfile

        user._alliance_is_alumnus = AlumniProfile.objects.filter(employee=me, joined_at__isnull=False).exists()
    return user._alliance_is_alumnus


def unread_notifications(user):
    if not hasattr(user, "_alliance_unread"):
        user._alliance_unread = user.notifications.filter(read_at__isnull=True).count()
    return user._alliance_unread


def require_hr(user):
    if not is_hr(user):
        raise PermissionDenied("Only HR can do this.")


def require_employee_or_hr(user):
    """Employed today, or HR: an alumnus or a departed person is refused."""
    if not (is_hr(user) or current_employee(user)):
        raise PermissionDenied("This is for employees and HR.")


def get_employee_for_user(user, pk, *, write=False):
    """Fetch a person within the user's scope: 404 if they may not see them, 403 if they may not edit.

    The scope is Employee.objects.visible_to(user), plus the user's own manager: an employee may open
    their manager's page (the card only, see sees_in_full), as it is linked from their own."""
    from alliance.models import Employee

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
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=HR_GROUP)
    if created:
        group.permissions.add(Permission.objects.get(codename="hr", content_type__app_label="alliance"))
    return group


def get_import_job_for_user(user, pk):
    """An import's status page: HR only (any HR, not just who uploaded it, so a colleague can follow up)."""
    from alliance.models import ImportJob

    require_hr(user)
    return get_object_or_404(ImportJob, pk=pk)
