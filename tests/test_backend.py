"""PeopleBackend: the roles loaded with the user in one query agree with the rules in alliance.access."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from alliance import access
from alliance.backends import PeopleBackend
from alliance.models import Notification


def load(user):
    return PeopleBackend().get_user(user.pk)


def test_roles_come_with_the_user_in_one_query(cast, django_assert_num_queries):
    Notification.objects.create(user=cast.manager.user, message="m", url="/")
    with django_assert_num_queries(1):
        manager = load(cast.manager.user)
        assert access.person(manager) == cast.manager and access.person(manager).team.name == "Engineering"
        assert access.is_manager(manager) and not access.is_hr(manager) and not access.is_alumnus(manager)
        assert access.unread_notifications(manager) == 1
    assert access.is_hr(load(cast.hr.user))
    assert access.is_alumnus(load(cast.alumnus.user)) and not access.is_manager(load(cast.alumnus.user))
    assert not access.is_manager(load(cast.report_report.user))


def test_hr_by_own_permission_or_superuser_and_not_when_inactive(cast):
    other = cast.other.user
    other.user_permissions.add(Permission.objects.get(codename="hr"))
    assert access.is_hr(load(other))
    cast.report.user.is_superuser = True
    cast.report.user.save()
    assert access.is_hr(load(cast.report.user))
    cast.hr.user.is_active = False
    cast.hr.user.save()
    assert load(cast.hr.user) is None  # an inactive account is signed out


def test_leaving_the_hr_group_takes_effect_on_the_next_request(client_for, cast):
    client = client_for("hr")
    assert client.get(reverse("people:create")).status_code == 200
    cast.hr.user.groups.clear()
    assert client.get(reverse("people:create")).status_code == 403


def test_a_manager_whose_last_report_left_is_no_longer_a_manager(cast):
    import datetime

    cast.report_report.departure_date = datetime.date.today()
    cast.report_report.save()
    assert not access.is_manager(load(cast.report.user))
