"""The signed-in user, loaded once per request together with everything the roles need."""

import functools

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from alliance import access


def _hr_permission(**where):
    return Exists(Permission.objects.filter(codename="hr", content_type__app_label="alliance", **where))


@functools.lru_cache(maxsize=1)
def _users_with_roles(today):
    """Users with everything the roles need, built once a day (the "manages anyone" test reads today's
    date): building this queryset cost ~2.5 ms of CPU on every request, a tenth of a list page. Each
    request filters a clone, so the shared queryset is never evaluated or changed."""
    from alliance.models import Employee, Notification, User
    from alumni.models import AlumniProfile

    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return User._default_manager.select_related("employee__team", "employee__manager").annotate(
        _hr=_hr_permission(user=OuterRef("pk")) | _hr_permission(group__user=OuterRef("pk")),
        _manages=Exists(Employee.objects.direct_reports_of(OuterRef("employee"), on=today)),
        _alumnus=Exists(AlumniProfile.objects.filter(employee=OuterRef("employee"), joined_at__isnull=False)),
        _unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
    )


class PeopleBackend(ModelBackend):
    """Django's ModelBackend, except that `get_user` (run on every request) fetches the user, their
    Employee record with team and manager, the HR permission, whether they manage anyone, whether
    they are an alumnus and their unread notifications in one query, and caches them on the user
    where alliance.access and the navigation look for them."""

    def get_user(self, user_id):
        user = _users_with_roles(timezone.localdate()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        person = getattr(user, "employee", None)
        user._alliance_is_hr = access.holds_hr(user, has_permission=user.is_superuser or user._hr, person=person)
        user._alliance_person = person
        user._alliance_is_manager = user._manages
        user._alliance_is_alumnus = user._alumnus
        user._alliance_unread = user._unread
        return user
