"""A worker killed with SIGKILL loses nothing (issue 22): real `db_worker` processes on a database file (or a
fresh PostgreSQL database when DATABASE_URL is PostgreSQL), a real SMTP server, kill -9 in the middle of a
3,000-email batch and of a 2,000-row import; the next worker takes both back and finishes them.

Each worker is its own process group (start_new_session), killed with os.killpg: nothing of it survives."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import environ
import psycopg2
import pytest

from tests.faults.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
MAILS, IMPORT_ROWS, KILL_AT_MESSAGE = 3000, 2000, 1234
LOST_AFTER = 3  # seconds of silence before a worker counts as dead (30 in production)


class Database:
    """The file or PostgreSQL database the workers share, readable from the test with plain SQL."""

    def __init__(self, kind, tmp_path):
        self.kind = kind
        if kind == "sqlite":
            self.path = tmp_path / "faults.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            base = environ.Env.db_url_config(os.environ["DATABASE_URL"])
            self.params = {k: base[v] for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))}
            self.params["password"] = base.get("PASSWORD") or None
            self.name = f"alliance_faults_{uuid.uuid4().hex[:12]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + self.name

    def _admin(self, sql):
        conn = psycopg2.connect(dbname="postgres", **self.params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.close()

    def value(self, sql):
        if self.kind == "sqlite":
            with sqlite3.connect(self.path, timeout=30) as conn:
                return conn.execute(sql).fetchone()[0]
        conn = psycopg2.connect(dbname=self.name, **self.params)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]
        finally:
            conn.close()

    def drop(self):
        if self.kind == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    if request.param == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("set DATABASE_URL=postgres://… for the PostgreSQL variant")
    db = Database(request.param, tmp_path)
    if db.kind == "sqlite":
        request.getfixturevalue("migrated_sqlite")(db.path)  # migrated once per session (tests/conftest.py)
    yield db
    db.drop()


def environment(db, sink):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false", SECRET_KEY="faults-test-only",
        DATABASE_URL=db.url, EMAIL_URL=f"smtp://127.0.0.1:{sink.port}", SITE_URL="http://alliance.test",
        TASK_HEARTBEAT_SECONDS="0.5", TASK_WORKER_LOST_SECONDS=str(LOST_AFTER), LOG_LEVEL="WARNING",
        CONN_MAX_AGE="0",
    )  # fmt: skip
    return env


def manage(env, *args, code=None):
    command = [sys.executable, "manage.py", *args] + (["-c", textwrap.dedent(code)] if code else [])
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def start_worker(env, log):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def kill(worker):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)


def wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


QUEUE_MAILS = f"""
    from django.db import transaction
    from alliance.mail import emails_later
    with transaction.atomic():
        emails_later([{{"subject": f"Fault test {{n}}", "body": f"Message {{n}}", "to": [f"p{{n}}@mail.test"]}}
                      for n in range({MAILS})])
"""
PREVIEW_IMPORT = f"""
    import datetime
    from alliance import imports, services
    from alliance.models import User
    hr = User.objects.create_user("hr@faults.test")
    rows = [",".join(imports.REQUIRED)]
    rows += [f"F{{n}},Ada,Fault{{n}},i{{n}}@import.test,2026-01-05" for n in range({IMPORT_ROWS})]
    text = "\\n".join(rows) + "\\n"
    plan = imports.plan_import(text, importer=hr)
    assert plan.ok, plan.problems
    print(services.import_job_preview(owner=hr, content=text, plan=plan).pk)
"""
CONFIRM_IMPORT = """
    from alliance import services
    from alliance.models import ImportJob
    services.import_job_confirm(job=ImportJob.objects.get())
"""


def test_a_worker_killed_mid_batch_and_mid_import_loses_nothing_and_sends_nothing_twice(database, tmp_path):
    with SmtpSink() as sink:
        env = environment(database, sink)
        if database.kind == "postgres":
            manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "shell", code=QUEUE_MAILS + PREVIEW_IMPORT)  # one process: Django starts once
        log = open(tmp_path / "workers.log", "w")  # noqa: SIM115 (kept open across the workers)

        # Fault 1: the mail server is receiving message 1,234 (the 34th of the 13th batch) when its worker dies.
        first = start_worker(env, log)
        sink.on_message(KILL_AT_MESSAGE, lambda: kill(first))
        first.wait(timeout=120)
        assert first.returncode == -signal.SIGKILL and sink.total == KILL_AT_MESSAGE - 1
        stuck = database.value("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")
        assert stuck == 1  # what django-tasks-db alone would leave forever

        # Fault 2: HR confirms the import; the next worker (imports go first) dies while applying it.
        manage(env, "shell", code=CONFIRM_IMPORT)
        second = start_worker(env, log)
        job_state = "SELECT state FROM alliance_importjob"
        wait_for(lambda: database.value(job_state) == "running", timeout=60, what="the import to start")
        time.sleep(0.1)  # into its transaction (about 0.7 s of writing here)
        kill(second)
        second.wait(timeout=30)
        assert database.value(job_state) == "running"
        assert database.value("SELECT COUNT(*) FROM alliance_employee") == 0  # its transaction never committed
        killed_at = time.monotonic()

        # The next worker takes both back and finishes everything.
        third = start_worker(env, log)
        try:
            wait_for(lambda: database.value(job_state) == "done", timeout=120, what="the import to be done")
            recovered_in = time.monotonic() - killed_at
            wait_for(lambda: sink.total >= MAILS + IMPORT_ROWS, timeout=120, what="every email")
            unsent = "SELECT COUNT(*) FROM alliance_outgoingemail WHERE sent_at IS NULL"
            wait_for(lambda: database.value(unsent) == 0, timeout=30, what="every sent mark")
            open_tasks = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('RUNNING', 'READY')"
            wait_for(lambda: database.value(open_tasks) == 0, timeout=30, what="an empty queue")
        finally:
            # A clean stop, awaited before anything is counted: whatever it would send twice has arrived by then.
            os.killpg(third.pid, signal.SIGTERM)
            third.wait(timeout=30)
        log.close()

    assert sink.total == MAILS + IMPORT_ROWS  # 5,000 delivered: the 3,000 and a sign-in link per imported person
    expected = {f"p{n}@mail.test" for n in range(MAILS)} | {f"i{n}@import.test" for n in range(IMPORT_ROWS)}
    assert set(sink.delivered) == expected and set(sink.delivered.values()) == {1}  # each exactly once
    assert database.value("SELECT COUNT(*) FROM alliance_employee") == IMPORT_ROWS
    assert database.value("SELECT content FROM alliance_importjob") == ""  # the file is gone with success
    # No message text left behind (sign-in links hold live tokens), no task row stuck, no worker left registered.
    assert database.value("SELECT COUNT(*) FROM alliance_outgoingemail WHERE body != '' OR subject != ''") == 0
    assert database.value("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status != 'SUCCESSFUL'") == 0
    assert database.value("SELECT COUNT(*) FROM alliance_workerheartbeat") == 0
    assert recovered_in < 60, recovered_in
    print(f"\nrecovered and imported {recovered_in:.1f} s after the kill", file=sys.stderr)
