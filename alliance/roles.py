"""Who the signed-in user is, as one value: `request.roles` (set by alliance.middleware.RolesMiddleware).

HR: the `alliance.hr` permission (the "HR" group has it), held by an employed person: a departed person is
never HR, whatever groups they still hold (accounts with no Employee record, such as an operator's, keep it).
Employee: a user whose Employee record is active today. Starter: hired with a start date still ahead
(preboarding): a welcome page and their first tour to read, nothing else until that day. Manager: an
employee with direct reports (Employee.objects.direct_reports_of; sees their whole subtree). Alumnus: a
departed employee who joined the alumni network (accepted the invitation).

alliance.backends.PeopleBackend fills every role in the one query that loads the signed-in user, so reading
them costs nothing. A user loaded some other way (a test, a management command) gets each role computed the
first time it is read. This module imports no models: the models' visible_to(user) querysets read it, and
alliance.access (which imports the models) builds on it.
"""

from functools import cached_property

ROLE_NAMES = ("hr", "employee", "manager", "starter", "alumnus", "departed")


def holds_hr(user, *, has_permission, person):
    """The HR rule, shared with PeopleBackend: the permission, on an active sign-in, of someone who is
    not departed. Checked on every request, so a departure ends HR on its date even if the daily step
    (apply_lifecycle_dates) that removes the groups has not run."""
    return user.is_active and has_permission and (person is None or person.is_active_on())


class Roles:
    """The roles of one user, for one request. Read them as attributes: roles.hr, roles.manager..."""

    def __init__(self, user):
        self.user = user
        self.authenticated = user.is_authenticated

    def __repr__(self):
        held = [name for name in ROLE_NAMES if getattr(self, name)]
        return f"<Roles {self.user} {held}>"

    @cached_property
    def person(self):
        """The user's Employee record, employed or not (None for anonymous or staff-only accounts)."""
        if not self.authenticated:
            return None
        employees = self.user._meta.get_field("employee").related_model.objects
        return employees.select_related("team", "manager").filter(user=self.user).first()

    @cached_property
    def employee(self):
        """The Employee record if they are employed today; a departed person has None."""
        me = self.person
        return me if me is not None and me.is_active_on() else None

    @cached_property
    def starter(self):
        """The Employee record of a person whose start date is still ahead (preboarding), else None."""
        me = self.person
        return me if me is not None and me.starts_later() else None

    @property
    def departed(self):
        return self.person is not None and self.employee is None and self.starter is None

    @cached_property
    def hr(self):
        if not self.authenticated:
            return False
        return holds_hr(self.user, has_permission=self.user.has_perm("alliance.hr"), person=self.person)

    @cached_property
    def manager(self):
        me = self.employee
        return me is not None and type(me).objects.direct_reports_of(me).exists()

    @cached_property
    def alumnus(self):
        """Departed and a member of the alumni network. Read through the person's reverse relation (the
        alumni app's AlumniProfile) so that this core module does not import the app above it."""
        if not self.departed:
            return False
        return type(self.person).objects.filter(pk=self.person.pk, alumni_profile__joined_at__isnull=False).exists()

    @cached_property
    def unread(self):
        if not self.authenticated:
            return 0
        return self.user.notifications.filter(read_at__isnull=True).count()

    def any(self, *names):
        """True when the user holds at least one of these roles ("hr", "employee", "manager", "alumnus")."""
        return any(getattr(self, name) for name in names)


def roles_of(user):
    """The user's Roles, made once and kept on the user object (which lives for one request)."""
    roles = getattr(user, "_roles", None)
    if roles is None:
        roles = Roles(user)
        if user.is_authenticated:
            user._roles = roles
    return roles
