"""The named cast every permission test uses, and a real browser for the journeys."""

import contextlib
import copy
import datetime
import functools
import gc
import io
import os
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from alliance import access, tree
from alliance.models import Employee
from tests.factories import EmployeeFactory, TeamFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The longest tests (browsers, real worker processes, whole-site crawls, fuzzing) first: pytest-xdist then starts
# them early and fills the end of the run with short tests, instead of one worker finishing a 30 s test alone.
SLOW_FIRST = (
    "tests/browser/",
    "tests/faults/",
    "tests/fuzz/",
    "tests/test_crawl.py",
    "tests/test_screenshots_tool.py",
    "tests/security/test_methods.py",
    "tests/security/test_escaping.py",
)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))  # stable: otherwise the usual order


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and before they are dropped on PostgreSQL, the connections still open to them
    from this process are ended. The live server answers each browser connection in a daemon thread that keeps its
    database connection between requests (CONN_MAX_AGE) and is not joined when the server stops, so one of them
    could still be open at the end and the drop failed ("is being accessed by other users", a warning at the end
    of the PostgreSQL pass, and a database left behind)."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After every test that used the database: each person's reporting-line path (alliance.tree) still
    follows their manager, whatever the test changed and however (a writer that skips tree.place fails)."""
    result = yield
    if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        wrong = tree.inconsistent(Employee)
        assert not wrong, f"reporting-tree paths no longer follow manager_id for employees {wrong[:10]}"
    return result


def _build_cast():
    """HR; a manager; the manager's report (who manages someone too); that person's report;
    an employee of another team; an alumnus (departed). `anonymous` is simply no sign-in."""
    people = TeamFactory(name="People")
    engineering = TeamFactory(name="Engineering")
    sales = TeamFactory(name="Sales")
    hr = EmployeeFactory(first_name="Hana", last_name="Rees", team=people, user__email="hr@test.example")
    hr.user.groups.add(access.hr_group())
    manager = EmployeeFactory(first_name="Mo", last_name="Nagy", team=engineering, user__email="manager@test.example")
    report = EmployeeFactory(
        first_name="Rita", last_name="Ortiz", team=engineering, manager=manager, user__email="report@test.example"
    )
    report_report = EmployeeFactory(
        first_name="Ravi", last_name="Rao", team=engineering, manager=report, user__email="rr@test.example"
    )
    other = EmployeeFactory(first_name="Oskar", last_name="Tamm", team=sales, user__email="other@test.example")
    alumnus = EmployeeFactory(
        first_name="Alma",
        last_name="Udo",
        team=engineering,
        manager=manager,
        user__email="alumnus@test.example",
        departure_date=datetime.date.today() - datetime.timedelta(days=30),
    )
    from alumni.models import AlumniProfile

    AlumniProfile.objects.create(employee=alumnus, joined_at=timezone.now(), current_employer="Globex")
    return SimpleNamespace(
        hr=hr, manager=manager, report=report, report_report=report_report, other=other, alumnus=alumnus
    )


TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
OWN_TRANSACTION_FLAGS = ("transaction", "reset_sequences", "serialized_rollback", "databases")


def _shares_the_cast(item):
    """A test that uses the cast inside a rolled-back transaction (`db`, not `transactional_db`/`live_server`)."""
    names = set(getattr(item, "fixturenames", ()))
    if "cast" not in names or names & TRANSACTIONAL_FIXTURES:
        return False
    marker = item.get_closest_marker("django_db")
    return not (marker and any(marker.kwargs.get(flag) for flag in OWN_TRANSACTION_FLAGS))


class _SharedCast:
    """The cast, built once for a run of consecutive tests of one module (what Django's TestCase.setUpTestData
    does): an outer transaction holds it, each test runs in its own savepoint inside (pytest-django's `db`
    nests its atomic blocks), and each test gets its own deep copy of the model instances, so neither a
    test's database writes nor its in-memory changes reach the next test. The transaction is rolled back
    before any test that does not share it (another module, no cast, a transactional test)."""

    def __init__(self):
        self.module = None
        self.atomic = None
        self.pristine = None
        self.blocker = None
        self.nextitem = None

    def open(self, module, blocker):
        from django.db import transaction

        self.blocker = blocker
        with blocker.unblock():
            assert not connection.in_atomic_block, f"a transaction was left open before {module.__name__}"
            self.atomic = transaction.atomic()
            self.atomic._from_testcase = True  # a durable atomic block inside the test stays allowed, as in TestCase
            self.atomic.__enter__()
            self.module = module
            try:
                self.pristine = _build_cast()
            except BaseException:
                self.close()
                raise

    def close(self):
        if self.atomic is None:
            return
        from django.db import transaction

        assert connection.atomic_blocks[:1] == [self.atomic], "the shared cast's transaction ended early"
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.module = self.atomic = self.pristine = None

    def copy(self):
        return copy.deepcopy(self.pristine)


_shared_cast = _SharedCast()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if _shared_cast.module is not None and not (_shares_the_cast(item) and item.module is _shared_cast.module):
        _shared_cast.close()  # a safety net: the finalizer below has closed it already


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    _shared_cast.nextitem = nextitem


def _after_a_sharing_test(module):
    """Runs after the test's own savepoint is rolled back, before anything else is torn down (the last test of a
    session tears the database down too): the shared transaction ends unless the next test shares it."""
    following = _shared_cast.nextitem
    if following is None or not (_shares_the_cast(following) and following.module is module):
        _shared_cast.close()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Opens the shared cast's outer transaction just before pytest-django's per-test one (its `db`),
    once the test database exists."""
    if fixturedef.argname == "_django_db_helper" and _shares_the_cast(request.node):
        if _shared_cast.module is None:
            _shared_cast.open(request.node.module, request.getfixturevalue("django_db_blocker"))
        # Registered before the `db` fixture's teardown, so it runs after it.
        request.node.addfinalizer(functools.partial(_after_a_sharing_test, request.node.module))
    return (yield)


@pytest.fixture
def cast(request, db):
    """HR; a manager; the manager's report (who manages someone too); that person's report;
    an employee of another team; an alumnus (departed). `anonymous` is simply no sign-in.
    Built once per module for `db` tests (_SharedCast), per test for transactional ones."""
    if _shared_cast.module is not None and _shares_the_cast(request.node):
        return _shared_cast.copy()
    return _build_cast()


ROLES = ["hr", "manager", "report", "report_report", "other", "alumnus", "anonymous"]


@pytest.fixture
def client_for(client, cast):
    """client_for("manager") is a test client signed in as that member of the cast."""

    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(cast, role).user)
        return client

    return sign_in


@pytest.fixture(scope="session")
def _demo_copy():
    """Holds this worker's copy of the seeded demo database (in-memory SQLite only)."""
    holder = {}
    yield holder
    if "copy" in holder:
        holder["copy"].close()


@pytest.fixture
def demo_company(transactional_db, _demo_copy):
    """The README's demo company, as `seed_demo` builds it. Seeding runs every tour through its services
    (2-17 s on this machine), so it runs once per worker: on the in-memory SQLite test database each later test
    gets a byte-for-byte copy of the result (SQLite's backup API, milliseconds); on PostgreSQL the rows are copied
    back from a schema of their own (_postgresql_demo). Transactional: the teardown empties the database again."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        _postgresql_demo(_demo_copy)
        return
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        call_command("seed_demo", stdout=io.StringIO())
        return
    if "copy" in _demo_copy:
        _demo_copy["copy"].backup(connection.connection)
        ContentType.objects.clear_cache()  # the copy's content type ids, not the flushed database's
        return
    call_command("seed_demo", stdout=io.StringIO())
    _demo_copy["copy"] = sqlite3.connect(":memory:")
    connection.connection.backup(_demo_copy["copy"])


DEMO_SCHEMA = "demo_copy"  # outside the search path: Django's flush and introspection never see it


def _postgresql_demo(holder):
    """PostgreSQL's copy of the seeded demo (seed_demo takes 10-17 s there): the first test on a worker seeds it
    and copies every table into a schema of their own; later tests empty the tables and copy the rows back, with
    the sequences where the seed left them. The foreign keys are deferred to the commit, so order is free."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        if "postgresql" not in holder:
            call_command("seed_demo", stdout=io.StringIO())
            cursor.execute(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE; CREATE SCHEMA {DEMO_SCHEMA}")
            for table in tables:
                cursor.execute(f'CREATE TABLE {DEMO_SCHEMA}."{table}" AS TABLE public."{table}"')
            cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
            holder["postgresql"] = cursor.fetchall()
            return
        with transaction.atomic():
            cursor.execute("TRUNCATE " + ", ".join(f'public."{table}"' for table in tables) + " CASCADE")
            for table in tables:
                cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {DEMO_SCHEMA}."{table}"')  # noqa: S608 -- Django's table names
            for sequence, value in holder["postgresql"]:
                if sequence.startswith("public."):
                    cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value or 1, value is not None])
    ContentType.objects.clear_cache()


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (tests/webhooks/receiver.py) for the test, stopped and closed after it."""
    from tests.webhooks import receiver as receivers

    r = receivers.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium. Skips locally when none is installed; in CI (CI=true) that is a failure."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is not installed at {CHROMIUM}; CI must run the browser tests.")
        pytest.skip(f"No Chromium at {CHROMIUM}: browser tests skipped (apt-get install chromium).")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def _sqlite_copy(source, destination):
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(destination)) as dst:
        src.backup(dst)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A function that writes a migrated SQLite database file (`manage.py migrate` on config.settings, as
    `make run` does) to a path. Migrating takes about 8 s: it runs once per test session, under a lock shared by
    the pytest-xdist workers, and each test gets its own copy of the file (tests/faults, tests/browser/test_day_one)."""
    import subprocess
    import sys

    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers
    template = root / "migrated.sqlite3"
    with FileLock(str(template) + ".lock"):
        if not template.exists():
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
            env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="migrate-only", LOG_LEVEL="WARNING")
            partial = root / "migrating.sqlite3"
            done = subprocess.run(  # noqa: S603 (fixed arguments)
                [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                cwd=Path(__file__).resolve().parents[1], env={**env, "DATABASE_URL": f"sqlite:///{partial}"},
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
            _sqlite_copy(partial, root / "template.sqlite3")  # through SQLite: the database is in WAL mode
            (root / "template.sqlite3").rename(template)

    def copy_to(path):
        _sqlite_copy(template, path)
        return path

    return copy_to


def pytest_collection_finish(session):
    """Everything imported by now (Django, the apps, every test module) lives as long as the session: frozen, the
    garbage collector stops walking those objects on each of its full passes (as config/wsgi.py does in a server)."""
    gc.collect()
    gc.freeze()
