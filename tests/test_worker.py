"""The worker takes back what a dead worker left running, and tidies what background work must not keep (issue 22).
The real processes, killed with kill -9, are in tests/faults/test_dead_worker.py; here the same functions, in place."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance import services, worker
from alliance.background import OutgoingEmail, WorkerHeartbeat
from alliance.management.commands import db_worker
from alliance.models import ImportJob
from alliance.worker import beat, tasks_recover, tidy
from signin.models import SignInEvent
from tests.test_import import GOOD
from webhooks.models import Endpoint, Message

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LONG_AGO = timezone.now() - datetime.timedelta(minutes=5)


def running(worker, *, path="alliance.mail.emails_send", kwargs=None, attempts=1, started=LONG_AGO):
    return DBTaskResult.objects.create(
        task_path=path, backend_name="default", queue_name="default", status="RUNNING", started_at=started,
        worker_ids=[f"earlier-{n}" for n in range(attempts - 1)] + [worker],
        args_kwargs={"args": [], "kwargs": kwargs or {"ids": []}},
    )  # fmt: skip


@pytest.mark.django_db
def test_a_task_of_a_silent_worker_runs_again_and_a_live_workers_is_left_alone():
    WorkerHeartbeat.objects.create(worker_id="dead", beat_at=LONG_AGO)
    beat("alive")
    dead, alive, unknown = running("dead"), running("alive"), running("never-beat")
    just_claimed = running("not-yet-beating", started=timezone.now())
    assert tasks_recover() == (2, 0)
    states = {t.pk: t.status for t in DBTaskResult.objects.all()}
    assert states == {dead.pk: "READY", unknown.pk: "READY", alive.pk: "RUNNING", just_claimed.pk: "RUNNING"}
    # The silent worker's row goes with its tasks; a worker that was only held up writes a new one when it beats.
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"alive"}


@pytest.mark.django_db
@override_settings(TASK_WORKER_LOST_SECONDS=30)
def test_a_worker_is_lost_after_thirty_seconds_of_silence_not_before():
    WorkerHeartbeat.objects.create(worker_id="quiet", beat_at=timezone.now() - datetime.timedelta(seconds=20))
    task = running("quiet")
    assert tasks_recover() == (0, 0)
    assert tasks_recover(now=timezone.now() + datetime.timedelta(seconds=15)) == (1, 0)
    task.refresh_from_db()
    assert task.status == "READY"


@pytest.mark.django_db
@override_settings(TASK_MAX_ATTEMPTS=3)
def test_an_import_that_kills_its_worker_every_time_fails_with_the_reason(cast):
    job = ImportJob.objects.create(owner=cast.hr.user, content=GOOD, state=ImportJob.State.RUNNING, row_count=3)
    task = running("dead", path="alliance.services.import_job_run", kwargs={"job_id": job.pk}, attempts=3)
    assert tasks_recover() == (0, 1)
    task.refresh_from_db()
    assert task.status == "FAILED" and "WorkerLost" in task.exception_class_path
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "stopped before it finished" in job.problems[0]
    assert job.content == GOOD  # kept for the Retry, for a week


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_an_import_left_running_by_a_dead_worker_starts_over_and_finishes(cast):
    job = ImportJob.objects.create(owner=cast.hr.user, content=GOOD, state=ImportJob.State.RUNNING, row_count=3)
    services.import_job_run.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.counts["create"] == 3 and job.content == ""
    services.import_job_run.call(job_id=job.pk)  # a stray rerun of a finished job does nothing
    assert job.counts == ImportJob.objects.get(pk=job.pk).counts


@pytest.mark.django_db
def test_tidy_empties_a_failed_imports_file_after_a_week_and_deletes_sent_emails_rows(cast):
    week = datetime.timedelta(days=7, minutes=1)
    failed = {"owner": cast.hr.user, "content": GOOD, "state": ImportJob.State.FAILED}
    old = ImportJob.objects.create(**failed, finished_at=timezone.now() - week)
    recent = ImportJob.objects.create(**failed, finished_at=timezone.now() - datetime.timedelta(days=6))
    sent_long_ago = OutgoingEmail.objects.create(sent_at=timezone.now() - week)
    sent_today = OutgoingEmail.objects.create(sent_at=timezone.now())
    waiting = OutgoingEmail.objects.create(subject="Hi", body="x", to=["p@example.org"])
    tidy()
    assert ImportJob.objects.get(pk=old.pk).content == "" and ImportJob.objects.get(pk=recent.pk).content == GOOD
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {sent_today.pk, waiting.pk}
    assert not OutgoingEmail.objects.filter(pk=sent_long_ago.pk).exists()


@pytest.mark.django_db
def test_a_failing_housekeeping_step_is_logged_and_the_others_still_run(cast, monkeypatch, caplog):
    """A step that fails at the database (here a missing table, which on PostgreSQL also aborts the transaction) is
    rolled back to its own savepoint and logged; background work's leftovers and every app's log are still tidied."""
    year = timezone.now() - datetime.timedelta(days=365)
    sent_long_ago = OutgoingEmail.objects.create(sent_at=year)
    sign_in = SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, email="old@test.example")
    SignInEvent.objects.filter(pk=sign_in.pk).update(at=year)
    endpoint = Endpoint.objects.create(url="https://example.com/hook", events=["tour.ended"], enabled=False)
    Message.objects.create(endpoint=endpoint, webhook_id="msg_old", kind="tour.ended", body="{}", created_at=year)

    def broken(now):
        connection.cursor().execute("DELETE FROM no_such_table")

    monkeypatch.setattr(worker, "TIDY_STEPS", {"broken": broken, **worker.TIDY_STEPS})
    assert tidy() == ["broken"]
    assert "Housekeeping step 'broken' failed" in caplog.text
    assert not OutgoingEmail.objects.filter(pk=sent_long_ago.pk).exists()
    assert not SignInEvent.objects.filter(pk=sign_in.pk).exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_hr_retries_a_failed_import_and_it_is_done(client_for, cast):
    job = ImportJob.objects.create(
        owner=cast.hr.user, content=GOOD, state=ImportJob.State.FAILED, row_count=3,
        problems=["An unexpected error stopped the import (OperationalError); nothing was imported."],
        finished_at=timezone.now(),
    )  # fmt: skip
    assert client_for("manager").post(reverse("people:import_retry", args=[job.pk])).status_code == 403
    hr = client_for("hr")
    page = hr.get(job.get_absolute_url())
    assert "An unexpected error stopped the import" in page.text and "Retry this import" in page.text
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert hr.post(reverse("people:import_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.counts["create"] == 3 and job.content == ""
    # Done: nothing to retry, and the page says so.
    response = hr.post(reverse("people:import_retry", args=[job.pk]), follow=True)
    assert "cannot be retried" in response.text
    assert hr.get(reverse("people:import_retry", args=[job.pk])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_batch_worker_beaten_to_a_task_looks_again_rather_than_exit(monkeypatch):
    """--batch exits when nothing is ready, not when another worker (or a busy lock) took the task it chose."""
    with override_settings(TASKS=DATABASE_TASKS):
        ready = DBTaskResult.objects.create(
            task_path="alliance.mail.emails_send", backend_name="default", queue_name="default", status="READY",
            args_kwargs={"args": [], "kwargs": {"ids": []}},
        )  # fmt: skip
        claims = []
        original = db_worker.PollingWorker.claim

        def beaten_once(self, tasks):
            claims.append(1)
            return None if len(claims) == 1 else original(self, tasks)

        monkeypatch.setattr(db_worker.PollingWorker, "claim", beaten_once)
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert len(claims) == 2  # it looked again, and ran the task (a sent batch's row goes at once)
    assert not DBTaskResult.objects.filter(pk=ready.pk, status="READY").exists()
