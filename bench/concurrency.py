"""Concurrency check: two gunicorn instances on one PostgreSQL, many people acting on the same tours at once.

    .venv/bin/python bench/concurrency.py [--database alliance_concurrency] [--pairs 4] [--rounds 3]

Creates a fresh database, migrates, seeds the demo company plus N employee/manager pairs, starts two
gunicorns (production settings, 2 workers each) and signs every party in on both. Then, from 32
threads across both servers: edits of the same tour's terms with the revision each form was opened
on, signatures by both parties, "plan the next tour" and check-ins pressed from both servers at
once, and signatures of tours that would overlap; meanwhile `send_reminders` runs in 4 processes at
once, several rounds. Finally the database must show: every accepted edit is the revision it was
told it became (no lost update), every accepted signature is stored, no person has two agreed tours
on one day, no revision signed by both parties other than the agreement in force, one successor per
tour, one check-in per side and due date, no reminder sent twice, and no 5xx. Prints a summary and
exits 1 on any violation. The servers are stopped and the database dropped in every case.
Needs PostgreSQL (--postgres, default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.concurrency_browser import Browser  # noqa: E402
from bench.concurrency_steps import ROLES, Run, check_database, make_tour, run_phases  # noqa: E402

PASSWORD = "concurrency-check-password"  # noqa: S105 (a throwaway database)


# Setting up: the database, the people, the servers.


def postgres_admin(url, statement, name):
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(f"{url}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    connection.close()


def manage(env, *args):
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def seed_pairs(count):
    """Employee/manager pairs, each with a proposed tour that started 100 days ago (a check-in is due)."""
    from django.contrib.auth.hashers import make_password

    from alliance.models import Employee, Team, User

    team, password = Team.objects.create(name="Concurrency check"), make_password(PASSWORD)
    pairs = []
    for i in range(count):
        people = {}
        for role in reversed(ROLES):  # the manager first
            # mail="immediate": each reminder emailed at once, so the run's printed emails show any sent twice
            # (with the default, weekly, reminders wait for the digest and this check would see none).
            user = User.objects.create(
                email=f"cc-{role}-{i}@example.com", password=password, first_name=role.title(), mail="immediate"
            )
            people[role] = Employee.objects.create(
                user=user,
                first_name=role.title(),
                last_name=f"No. {i}",
                employee_number=f"CC-{role[0]}{i}",
                team=team,
                manager=people.get("manager"),
                hire_date=datetime.date(2020, 1, 6),
            )
        start = datetime.date.today() - datetime.timedelta(days=100)
        tour = make_tour(people["employee"], people["manager"], start, f"Pair {i}: the contested tour")
        pairs.append(SimpleNamespace(i=i, people=people, a=tour.pk, b=None, d=None, x=None))
    return pairs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env, port, logdir):
    log = open(logdir / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed with the process)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    command.append("--no-control-socket")  # two instances: not one control socket in ~/.gunicorn
    server = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    server.port, server.log_path = port, log.name
    probe = Browser(port, lambda status: None)
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn on {port} exited: {Path(log.name).read_text()[-2000:]}")
        try:
            if probe.get("/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn on {port} did not answer /healthz")


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def reminder_rounds(env, rounds, processes, outputs):
    """`send_reminders` in several processes at once, round after round."""
    for _ in range(rounds):
        runs = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "send_reminders"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        results = []
        for run in runs:
            out, err = run.communicate()
            results.append((run.returncode, out, err))
        outputs.append(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="alliance_concurrency")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pairs", type=int, default=4, help="employee/manager pairs, one contested tour each")
    parser.add_argument("--rounds", type=int, default=3, help="edit-and-sign rounds per thread")
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--reminder-rounds", type=int, default=4)
    parser.add_argument("--reminder-processes", type=int, default=4)
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: still clean up
    started = time.monotonic()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_hex(32),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "EMAIL_URL": "consolemail://",
        # Mail sent in place (no worker runs here), so each reminder run prints its emails for the check.
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "DATABASE_URL": f"{options.postgres}/{options.database}",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MFA_REQUIRED_FOR": "",  # HR signs in with a password alone here (concurrent edits, not enrolment)
    }
    os.environ.update(env)
    servers, logdir = [], Path(tempfile.mkdtemp(prefix="alliance-concurrency-"))
    postgres_admin(options.postgres, "DROP DATABASE IF EXISTS {} WITH (FORCE)", options.database)
    postgres_admin(options.postgres, "CREATE DATABASE {}", options.database)
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--no-input", "-v0")
        import django

        django.setup()
        pairs = seed_pairs(options.pairs)
        from alliance.models import User  # why: after django.setup() above

        # Every account gets every email at once (the demo's people default to the weekly digest), so each
        # reminder send_reminders counts is an email it prints, and a duplicate shows.
        User.objects.update(mail="immediate")
        servers = [start_server(env, free_port(), logdir) for _ in range(2)]
        print(
            f"Set up in {time.monotonic() - started:.0f} s: database {options.database}, "
            f"gunicorn on ports {servers[0].port} and {servers[1].port} (2 workers each)"
        )
        run, outputs = Run(), []
        reminders = threading.Thread(
            target=reminder_rounds, args=(env, options.reminder_rounds, options.reminder_processes, outputs)
        )
        reminders.start()
        try:
            numbers = run_phases(run, pairs, servers, options.threads, options.rounds, PASSWORD)
            numbers["threads"] = options.threads
        finally:
            reminders.join()
        reminder_rounds(env, 1, options.reminder_processes, outputs)  # once more, after the last agreements
        violations = check_database(run, pairs, outputs, numbers)
    except BaseException:
        for server in servers:
            print(f"--- last lines of {server.log_path}\n{Path(server.log_path).read_text()[-3000:]}")
        raise
    finally:
        for server in servers:
            stop_server(server)
        from django.db import connections

        connections.close_all()
        postgres_admin(options.postgres, "DROP DATABASE IF EXISTS {} WITH (FORCE)", options.database)
    logs = "".join(Path(server.log_path).read_text() for server in servers)
    if "Traceback" in logs:
        violations.append(f"the gunicorn logs hold a traceback (in {logdir})")
    print(f"Run time {time.monotonic() - started:.0f} s.")
    if violations:
        print("VIOLATIONS:\n  " + "\n  ".join(violations))
        return 1
    print("No violation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
