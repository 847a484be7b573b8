"""Day one on the default setup, as `make run` serves it: a file database shared by the web server and a real
`manage.py db_worker` process, the production password hasher (about a second per password), the emails
read from the worker's output. Ten new people follow their sign-in links one after another and an alumna
accepts her invitation: every page must answer, and every password must be saved. The alumna then updates her
profile and downloads her data, and the file is held against the database (tests/browser/day_one_export.py).

On SQLite this used to answer 500 "database is locked" (6 of 6 tries): the link was used inside a
transaction that also hashed the password, while the worker took the write lock every second. The same
journey runs on PostgreSQL when DATABASE_URL names one (CI's PostgreSQL pass), in a database of its own.
Everything lives in tmp_path on free ports, so it is safe under pytest-xdist."""

import json
import os
import quopri
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import environ
import psycopg2
import pytest

from tests.browser import day_one_export

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long first-day passphrase 42"
PEOPLE = 10

SETUP = f"""
PEOPLE = {PEOPLE}
import datetime
from alliance.models import Employee, User
from alliance.services import sign_in_links_send
from alumni.models import AlumniProfile
from alumni.services import send_invitation
today = datetime.date.today()
hr = User.objects.create_user("hr@day-one.example", "not-used-here-9")
hr_person = Employee.objects.create(user=hr, first_name="Hana", last_name="Rees", employee_number="H-1",
                                    hire_date=today - datetime.timedelta(days=900))
people = [
    Employee.objects.create(user=User.objects.create_user(f"new{{n}}@day-one.example"), first_name=f"Newt{{n}}",
                            last_name="Joiner", employee_number=f"N-{{n}}", hire_date=today, manager=hr_person)
    for n in range(PEOPLE)
]
sign_in_links_send(employees=people, by=hr)
alma = Employee.objects.create(user=User.objects.create_user("alma@day-one.example"), first_name="Alma",
                               last_name="Udo", employee_number="A-1", hire_date=today - datetime.timedelta(days=800),
                               departure_date=today - datetime.timedelta(days=3))
AlumniProfile.objects.create(employee=alma)
send_invitation(employee=alma, by=hr)
"""

SAVED = """
import json
from alliance.models import Employee, SignInLink
from alumni.models import AlumniProfile
new = Employee.objects.filter(employee_number__startswith="N-").select_related("user")
print(json.dumps({
    "passwords": sum(e.user.has_usable_password() for e in new),
    "links_used": SignInLink.objects.filter(used_at__isnull=False).count(),
    "alumna_joined": AlumniProfile.objects.filter(employee__employee_number="A-1", joined_at__isnull=False).count(),
    "alumna_password": Employee.objects.get(employee_number="A-1").user.has_usable_password(),
}))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs
    )


def start(env, log, *args):
    """A long-running manage.py command in its own session, so stopping it stops its children too."""
    return subprocess.Popen(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def links_in(log):
    """The one-time links in the emails the worker printed (quoted-printable: long lines are folded)."""
    text = quopri.decodestring(log.read_bytes()).decode(errors="replace")
    return re.findall(r"(/(?:accounts/activate|alumni/invitation)/[\w-]+/)", text)


def wait_for(predicate, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.05)
    raise AssertionError(f"Timed out waiting for {what}")


@pytest.fixture
def postgres_database():
    """A fresh PostgreSQL database next to the one DATABASE_URL names, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL is not PostgreSQL: this variant runs in the PostgreSQL pass.")
    config = environ.Env.db_url_config(url)
    name = f"alliance_day_one_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(  # the maintenance database: DATABASE_URL's own may not exist (pytest uses test_…)
        dbname="postgres", user=config["USER"], password=config["PASSWORD"], host=config["HOST"],
        port=config["PORT"] or 5432,
    )  # fmt: skip
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def day_one(chromium, tmp_path, database_url):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",  # as `make run`
        "DATABASE_URL": database_url,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_URL": "consolemail://",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("TASKS_BACKEND", None)
    if not database_url.startswith("sqlite"):  # a SQLite file comes migrated (tests/conftest.py: migrated_sqlite)
        manage(env, "migrate", "--no-input")
    manage(env, "shell", "-c", SETUP)
    worker_log, server_log = tmp_path / "worker.log", tmp_path / "server.log"
    with worker_log.open("w") as w, server_log.open("w") as s:
        worker = start(env, w, "db_worker", "--no-reload", "--no-startup-delay")
        server = start(env, s, "runserver", f"127.0.0.1:{port}", "--noreload")
    try:
        # The worker sends the eleven emails (console backend: its output); the links come from there.
        links = wait_for(
            lambda: len(found := links_in(worker_log)) > PEOPLE and found,
            "the worker to send the sign-in links and the invitation",
        )
        wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, "the web server")
        errors, landed, export = [], [], None
        for path in links:
            context = chromium.new_context(base_url=f"http://127.0.0.1:{port}")
            context.set_default_timeout(30_000)
            page = context.new_page()
            page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
            page.goto(path)
            page.get_by_label("New password").first.fill(PASSWORD)
            page.get_by_label("New password confirmation").fill(PASSWORD)
            page.get_by_role("button", name=re.compile("Set my password|Join")).click()
            page.wait_for_load_state()
            landed.append(page.url.removeprefix(f"http://127.0.0.1:{port}"))
            if landed[-1] == "/alumni/me/":  # the alumna, signed in by her invitation
                export = (path, *day_one_export.update_and_download(page))
            context.close()
        *_, saved, her = manage(
            env, "shell", "--no-imports", "-c", SAVED + day_one_export.HER_SAVED
        ).stdout.splitlines()
        saved, her = json.loads(saved), json.loads(her)
    finally:
        stop(server)
        stop(worker)
    assert errors == [], (errors, server_log.read_text()[-3000:])
    assert sorted(landed) == sorted(["/"] * PEOPLE + ["/alumni/me/"])
    assert saved == {"passwords": PEOPLE, "links_used": PEOPLE, "alumna_joined": 1, "alumna_password": True}
    assert "database is locked" not in server_log.read_text() + worker_log.read_text()
    day_one_export.check(*export, her=her, password=PASSWORD)


def test_ten_new_people_and_an_alumna_sign_in_on_sqlite_with_the_worker_running(chromium, tmp_path, migrated_sqlite):
    day_one(chromium, tmp_path, f"sqlite:///{migrated_sqlite(tmp_path / 'db.sqlite3')}")


def test_ten_new_people_and_an_alumna_sign_in_on_postgresql_with_the_worker_running(
    chromium, tmp_path, postgres_database
):
    day_one(chromium, tmp_path, postgres_database)
