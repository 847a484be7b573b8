"""The signed-in user, loaded once per request together with everything the roles need."""

import functools

from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, router
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import get_related_populators
from django.utils import timezone
from psycopg2 import errors as pg_errors
from psycopg2.extensions import AsIs

from alliance.models import Employee, Notification, User
from alliance.roles import holds_hr, roles_of


def _hr_permission():
    """Holds alliance.hr directly or through a group. The permission's id is a scalar subquery and the group
    test joins only the two link tables: Django's own `group__permissions` path joined five tables, which cost
    PostgreSQL ~0.4 ms of planning on every request."""
    hr = Subquery(Permission.objects.filter(codename="hr", content_type__app_label="alliance").values("pk")[:1])
    groups_with_hr = Group.permissions.through.objects.filter(permission=hr).values("group")
    return Exists(User.user_permissions.through.objects.filter(user=OuterRef("pk"), permission=hr)) | Exists(
        User.groups.through.objects.filter(user=OuterRef("pk"), group__in=groups_with_hr)
    )


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
        _hr=_hr_permission(),
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


def _prepared_on(connection):
    """The names prepared on this database session (PostgreSQL), kept with the raw connection they belong to: name ->
    True, or False for a statement that exists but must be planned again (DEALLOCATE, then PREPARE)."""
    if getattr(connection, "_alliance_prepared_on", None) is not connection.connection:
        connection._alliance_prepared_on, connection._alliance_prepared = connection.connection, {}
    return connection._alliance_prepared


NO_ONE = -7_654_321  # a user id that never exists: the placeholder the roles query is compiled with


@functools.lru_cache(maxsize=4)
def _roles_query(today, alias):
    """The roles query compiled to SQL once a day per database: compiling it (seven subqueries, three joined
    models) cost ~2 ms of CPU on every request, a fifth of a list page. Returns a function that runs it for one
    user id and builds the user with their Employee, team and manager and the annotations, as the queryset
    would (the same steps as Django's ModelIterable; tests/test_backend.py holds the two equal)."""
    queryset = _users_with_roles(today).filter(pk=NO_ONE)
    compiler, fetch_mode = queryset.query.get_compiler(using=alias), queryset._fetch_mode
    sql, params = compiler.as_sql()
    params = list(params)
    at = params.index(NO_ONE)
    select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias, fetch_mode)
    converters = compiler.get_converters([column[0] for column in select])

    statement = f"alliance_roles_{today:%Y%m%d}"

    def execute(connection, cursor, user_id, retry=True):
        if connection.vendor != "postgresql":  # SQLite keeps its own cache of prepared statements
            cursor.execute(sql, [*params[:at], user_id, *params[at + 1 :]])
            return
        # A prepared statement, once per database session: PostgreSQL then stops planning the query on every
        # request (0.75 ms of its CPU). Statements outlive a rolled-back transaction; a new session (reconnect)
        # has none, which is why the names are kept per raw connection.
        prepared = _prepared_on(connection)
        if not prepared.get(statement):
            if statement in prepared:  # stale (see below): drop it first
                cursor.cursor.execute(f"DEALLOCATE {statement}")
                del prepared[statement]
            body = cursor.cursor.mogrify(sql, [*params[:at], AsIs("$1"), *params[at + 1 :]]).decode()
            # On the driver's cursor: a step once per session, not one of the request's queries (their counts).
            cursor.cursor.execute(f"PREPARE {statement}(bigint) AS {body}")
            prepared[statement] = True
        try:
            cursor.execute(f"EXECUTE {statement}(%s)", [user_id])
        except DatabaseError as error:
            # A migration changed the type of a column it reads under this session ("cached plan must not change
            # result type", on every EXECUTE until the session ends), or a DEALLOCATE dropped it: Django's own
            # query would still run, so plan it again, at once unless a transaction the error aborted is open.
            if isinstance(error.__cause__, pg_errors.FeatureNotSupported):
                prepared[statement] = False
            elif isinstance(error.__cause__, pg_errors.InvalidSqlStatementName):
                prepared.pop(statement, None)
            else:
                raise
            if connection.in_atomic_block or not retry:
                raise
            execute(connection, cursor, user_id, retry=False)

    def load(user_id):
        connection = connections[alias]
        with connection.cursor() as cursor:
            execute(connection, cursor, user_id)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (functions, expression) in converters.items():
            for convert in functions:
                row[position] = convert(row[position], expression, connection)
        user = User.from_db(alias, names, row[start:end], fetch_mode=fetch_mode)
        for populator in populators:
            populator.populate(row, user)
        for name, position in annotations.items():
            setattr(user, name, row[position])
        return user

    return load


class PeopleBackend(ModelBackend):
    """Django's ModelBackend, except that `get_user` (run on every request) fetches the user, their
    Employee record with team and manager, the HR permission, whether they manage anyone, whether
    they are an alumnus, their unread notifications and whether they have a second factor in one query, and
    fills their roles (alliance.roles.Roles, which request.roles and alliance.access read) from it."""

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if user_id is None or not -(2**63) <= user_id < 2**63:  # SQLite's integers are 64-bit
            return None
        user = _roles_query(timezone.localdate(), router.db_for_read(User))(user_id)
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
