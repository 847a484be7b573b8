"""Time a CSV import at its documented maximum (20,000 new people) through the HTTP client, as HR does it.

    .venv/bin/python bench/import_20k.py                       # a fresh SQLite file in a temporary folder
    .venv/bin/python bench/import_20k.py --rows 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_import .venv/bin/python bench/import_20k.py
      (the database is created afresh: use a name of its own; it is dropped at the end)

Prints the time of each step: the preview request (upload and check every row), the confirmation request
(with the database task backend it only queues the job), the background task (people, sign-ins, audit
history and sign-in links in one transaction, then one queued email per new person), and the status page.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="alliance-import-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("EMAIL_URL", "dummymail://")
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_databases, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from alliance import access  # noqa: E402
from alliance.models import Employee, ImportJob, SignInLink, User  # noqa: E402
from alliance.services import import_job_run  # noqa: E402

HEADER = "employee_number,first_name,last_name,email,job_title,team,manager,hire_date\n"


def make_csv(rows):
    """Ten teams; each of the first 200 people manages the next 99 (two levels of managers)."""
    lines = [HEADER]
    for n in range(rows):
        manager = "" if n < 200 else f"B-{n % 200:05d}"
        lines.append(f"B-{n:05d},First{n},Last{n},b{n}@example.org,Engineer,Team {n % 10},{manager},2024-01-02\n")
    return "".join(lines)


def timed(label, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<58} {time.perf_counter() - start:6.2f} s", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    print(f"{connection.vendor}, {args.rows} rows")
    config = setup_databases(verbosity=0, interactive=False, keepdb=False)  # a test_ database, migrated
    try:
        hr = User.objects.create_user("hr@example.org", "x")
        hr.groups.add(access.hr_group())
        client = Client()
        client.force_login(hr)
        text = make_csv(args.rows)
        print(f"file size {len(text.encode()) / 1e6:.1f} MB")
        upload = SimpleUploadedFile("people.csv", text.encode(), "text/csv")
        preview = timed("preview request", lambda: client.post(reverse("people:import"), {"file": upload}))
        assert preview.status_code == 200 and ImportJob.objects.exists(), preview.content.decode()[-2000:]
        job = ImportJob.objects.get()
        confirm = timed("confirm request (queues the task)", lambda: client.post(reverse("people:import_apply"),
                                                                               {"job": job.pk}))  # fmt: skip
        assert confirm.status_code == 302, confirm.status_code
        DBTaskResult.objects.all().delete()  # the worker is not run here: the task is called directly
        timed("task: apply in one transaction + queue the emails", lambda: import_job_run.call(job_id=job.pk))
        job.refresh_from_db()
        assert job.state == ImportJob.State.DONE, job.problems
        print(f"  people {Employee.objects.count()}, sign-in links {SignInLink.objects.count()}, "
              f"queued email tasks (batches of 100) {DBTaskResult.objects.count()}")  # fmt: skip
        timed("status page", lambda: client.get(job.get_absolute_url()))
        DBTaskResult.objects.all().delete()
        send = reverse("people:import_send_links", args=[job.pk])
        timed(f"send sign-in links again to all {args.rows} (request)", lambda: client.post(send))
        if connection.vendor == "sqlite":
            sample = DBTaskResult.objects.count()
            start = time.perf_counter()
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
            print(f"{'worker: send the ' + str(sample) + ' email tasks (dummy mail backend)':<58} "
                  f"{time.perf_counter() - start:6.2f} s")  # fmt: skip
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    # Pages render without a collectstatic run (the production storage needs its manifest).
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    with override_settings(STORAGES=storages):
        main()
