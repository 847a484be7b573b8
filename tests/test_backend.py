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


def _state(user):
    """Everything the roles read off a loaded user: its fields, annotations and related records' fields."""
    employee = getattr(user, "employee", None)

    def fields(obj):
        return None if obj is None else {k: v for k, v in vars(obj).items() if k not in ("_state", "_roles")}

    related = {}
    if employee is not None:
        related = {"team": fields(employee.team), "manager": fields(employee.manager)}
    return fields(user), fields(employee), related


def test_the_precompiled_roles_query_loads_what_the_queryset_loads(cast, django_assert_num_queries):
    """PeopleBackend runs the roles query from SQL compiled once a day (alliance.backends._roles_query): for
    every kind of person it builds the same user, Employee, team, manager and annotations as the queryset."""
    from django.utils import timezone

    from alliance.backends import _users_with_roles

    Notification.objects.create(user=cast.report.user, message="m", url="/")
    for person in vars(cast).values():
        expected = _users_with_roles(timezone.localdate()).filter(pk=person.user.pk).first()
        with django_assert_num_queries(1):
            loaded = load(person.user)
        assert _state(loaded) == _state(expected)
        assert (loaded._hr, loaded._manages, loaded._alumnus, loaded._unread, loaded._second_factor) == (
            expected._hr,
            expected._manages,
            expected._alumnus,
            expected._unread,
            expected._second_factor,
        )


def test_a_session_naming_no_user_or_a_malformed_id_signs_no_one_in(cast):
    for user_id in (999_999, "not a number", "²", 2**70, -1, None):
        assert PeopleBackend().get_user(user_id) is None


def test_a_new_database_session_prepares_the_roles_statement_again(transactional_db):
    """PostgreSQL keeps prepared statements per session: after a reconnect the user still loads."""
    from django.db import connection

    from tests.factories import EmployeeFactory

    user = EmployeeFactory().user
    assert load(user) == user
    connection.close()
    assert load(user) == user


def test_the_roles_statement_is_planned_again_after_a_migration_or_a_deallocate(transactional_db):
    """A migration that changes a column's type under a live database session ("cached plan must not change
    result type") or a DEALLOCATE ALL leaves the prepared roles statement unusable: the user still loads, as
    with Django's own query, instead of a 500 on every request until the connection is recycled."""
    import pytest
    from django.db import connection

    from tests.factories import EmployeeFactory

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    user = EmployeeFactory(team__name="Support").user
    assert load(user) == user
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE alliance_team ALTER COLUMN name TYPE varchar(101)")
    try:
        assert load(user) == user and load(user).employee.team.name == "Support"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE alliance_team ALTER COLUMN name TYPE varchar(100)")
    assert load(user) == user
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert load(user) == user
