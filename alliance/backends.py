"""The signed-in user, loaded once per request together with everything the roles need."""

import functools

from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from alliance.models import Employee, Notification, User
from alliance.roles import holds_hr, roles_of


def _hr_permission(**where):
    return Exists(Permission.objects.filter(codename="hr", content_type__app_label="alliance", **where))


@functools.lru_cache(maxsize=1)
def _users_with_roles(today):
    """Users with everything the roles need, built once a day (the "manages anyone" test reads today's
    date): building this queryset cost ~2.5 ms of CPU on every request, a tenth of a list page. Each
    request filters a clone, so the shared queryset is never evaluated or changed."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # "Is an alumnus" through the person's reverse relation to the alumni app's AlumniProfile, which this
    # core module does not import.
    alumnus = Employee.objects.filter(pk=OuterRef("employee"), alumni_profile__joined_at__isnull=False)
    return User._default_manager.select_related("employee__team", "employee__manager").annotate(
        _hr=_hr_permission(user=OuterRef("pk")) | _hr_permission(group__user=OuterRef("pk")),
        _manages=Exists(Employee.objects.direct_reports_of(OuterRef("employee"), on=today)),
        _alumnus=Exists(alumnus),
        _unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        # Whether they have a second factor (an authenticator app or a passkey): MFA_REQUIRED_FOR reads it
        # on every request (signin.middleware).
        _second_factor=Exists(
            Authenticator.objects.filter(
                user=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            )
        ),
    )


class PeopleBackend(ModelBackend):
    """Django's ModelBackend, except that `get_user` (run on every request) fetches the user, their
    Employee record with team and manager, the HR permission, whether they manage anyone, whether
    they are an alumnus, their unread notifications and whether they have a second factor in one query, and
    fills their roles (alliance.roles.Roles, which request.roles and alliance.access read) from it."""

    def get_user(self, user_id):
        user = _users_with_roles(timezone.localdate()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        person = getattr(user, "employee", None)
        employed = person is not None and person.is_active_on()
        roles = roles_of(user)
        roles.__dict__.update(  # the cached_property values, known already
            person=person,
            employee=person if employed else None,
            hr=holds_hr(user, has_permission=user.is_superuser or user._hr, person=person),
            manager=employed and user._manages,
            alumnus=person is not None and not employed and user._alumnus,
            unread=user._unread,
        )
        return user
