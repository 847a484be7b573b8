"""What django-tasks-db's worker lacks: taking back the tasks of a worker that died, and tidying what work leaves.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a worker killed
(kill -9, a lost machine, the OOM killer) leaves the row RUNNING forever. Our `db_worker`
(alliance/management/commands/db_worker.py) therefore keeps a heartbeat row, written every
TASK_HEARTBEAT_SECONDS by a thread (so a long import never silences it), and at start and on every beat takes
back the RUNNING tasks whose worker's last beat is older than TASK_WORKER_LOST_SECONDS: ready to run again, or
failed once it has been tried TASK_MAX_ATTEMPTS times (a task that kills its worker every time must not kill
every worker). The tasks are written to be run again: an email batch sends only its unsent rows
(alliance.mail), an import is one transaction that a dead worker never committed (alliance.services)."""

import datetime
import logging
import os
import socket
import threading
from contextlib import suppress
from functools import partial

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from alliance.background import OutgoingEmail, ResetRequest, WorkerHeartbeat
from alliance.models import ImportJob

logger = logging.getLogger(__name__)

# A failed import's file is kept this long for its Retry, then emptied; a sent email's bare row, as long.
FAILED_IMPORT_KEPT = datetime.timedelta(days=7)
SENT_EMAIL_KEPT = datetime.timedelta(days=7)
PREVIEW_KEPT = datetime.timedelta(days=1)  # an unconfirmed preview's file


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker stopped every time it ran it."""


def enqueue_with_work(task_, **kwargs):
    """Queue `task_` as part of the surrounding transaction. With the database backend the task row is written
    in that transaction, so the work and its task commit together (a process dying between the two loses
    neither); a backend that runs or sends the task at once (the tests' ImmediateBackend) waits for the commit,
    so a rolled-back action never runs it."""
    if isinstance(default_task_backend, DatabaseBackend):
        task_.enqueue(**kwargs)
    else:
        transaction.on_commit(partial(task_.enqueue, **kwargs))


def beat(worker_id):
    """Record that this worker is alive."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=socket.gethostname()[:255], pid=os.getpid(), started_at=now, beat_at=now
        )


def tasks_recover(*, now=None):
    """Take back the tasks left RUNNING by workers that stopped beating. Returns (requeued, failed) counts.
    A task claimed less than TASK_WORKER_LOST_SECONDS ago is left alone (its worker may not have beaten yet)."""
    now = now or timezone.now()
    lost_after = now - datetime.timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=lost_after).values_list("worker_id", flat=True))
    requeued, failed = 0, []
    with transaction.atomic():
        # skip_locked: two workers recovering at once each take different rows (PostgreSQL; SQLite has one writer).
        for row in DBTaskResult.objects.running().filter(started_at__lt=lost_after).select_for_update(skip_locked=True):
            worker = row.worker_ids[-1] if row.worker_ids else None
            if worker in alive:
                continue
            attempts = len(row.worker_ids)
            if attempts < settings.TASK_MAX_ATTEMPTS:
                logger.warning(
                    "Task %s (%s) was left running by worker %s, which stopped; running it again (attempt %s of %s)",
                    row.pk, row.task_path, worker, attempts + 1, settings.TASK_MAX_ATTEMPTS,
                )  # fmt: skip
                row.status, row.started_at = TaskResultStatus.READY, None
                row.save(update_fields=["status", "started_at"])
                requeued += 1
            else:
                logger.error("Task %s (%s) stopped its worker %s times; giving up", row.pk, row.task_path, attempts)
                row.set_failed(WorkerLost(f"Its worker stopped each of the {attempts} times it ran."))
                failed.append(row)
        # Silent workers' rows go once their tasks are taken back (one that was only held up writes a new one).
        WorkerHeartbeat.objects.filter(beat_at__lt=lost_after).delete()
    for row in failed:  # after the commit: receivers (a failed import's status) see the failed row
        task_finished.send(sender=DatabaseBackend, task_result=row.task_result)
    return requeued, len(failed)


# Housekeeping that the apps above this one add in their AppConfig.ready() (alliance must not import them), as
# PERSON_CONDITIONS hands rules down (alliance.querysets): name -> function(now), which deletes what is due (the
# sign-in log's old rows, signin; the webhook delivery log's, webhooks). Use tidy_step() to add one.
TIDY_STEPS = {}


def tidy_step(name, step):
    """Add `step(now)` to what tidy() runs each round. Registering the same name again replaces it (idempotent)."""
    TIDY_STEPS[name] = step


def tidy_background(now):
    """Sent emails' bare rows after a week, reset requests after the hour they count, unconfirmed previews after a
    day, a failed import's file after a week (HR may retry until)."""
    OutgoingEmail.objects.filter(sent_at__lt=now - SENT_EMAIL_KEPT).delete()
    ResetRequest.objects.filter(created_at__lt=now - datetime.timedelta(hours=1)).delete()
    OutgoingEmail.objects.filter(given_up_at__lt=now - SENT_EMAIL_KEPT).delete()
    ImportJob.objects.filter(state=ImportJob.State.PREVIEWED, created_at__lt=now - PREVIEW_KEPT).delete()
    ImportJob.objects.filter(state=ImportJob.State.FAILED, finished_at__lt=now - FAILED_IMPORT_KEPT).exclude(
        content=""
    ).update(content="")


def tidy(*, now=None):
    """Delete what must not be kept: background work's leftovers (tidy_background), then each step the apps added
    (TIDY_STEPS). Each runs on its own, in its own transaction (a savepoint inside one), so a step that fails (a
    lock timeout, a missing table) is rolled back and logged, and the others still run; the next round tries it
    again. Returns the names of the steps that failed."""
    now = now or timezone.now()
    failed = []
    for name, step in [("background", tidy_background), *TIDY_STEPS.items()]:
        try:
            with transaction.atomic():
                step(now)
        except DatabaseError:
            logger.exception("Housekeeping step %r failed; the next round tries it again", name)
            failed.append(name)
    return failed


def look_after(worker_id):
    """One round of the worker's housekeeping: beat, take back lost tasks, tidy."""
    beat(worker_id)
    tasks_recover()
    tidy()


class Heartbeat(threading.Thread):
    """Runs look_after() now and every TASK_HEARTBEAT_SECONDS, on its own database connection, until stopped."""

    def __init__(self, worker_id):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.is_set():
                close_old_connections()
                try:
                    look_after(self.worker_id)
                except DatabaseError as error:  # a busy database: the next beat tries again
                    logger.warning("Worker heartbeat failed: %s", error)
                self.stopped.wait(settings.TASK_HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=settings.TASK_HEARTBEAT_SECONDS + 5)


class Heartbeating:
    """Mixed into django-tasks-db's Worker (alliance/management/commands/db_worker.py): beats from a thread while
    the worker runs and says goodbye on a clean stop. With --batch (tests, one-off runs) there is no thread: the
    worker looks after the queue once at start."""

    def run(self):
        heartbeat = None
        if self.batch:
            look_after(self.worker_id)
        else:
            heartbeat = Heartbeat(self.worker_id)
            heartbeat.start()
        try:
            super().run()
        finally:  # a killed worker never gets here: it is found by its silence
            if heartbeat is not None:
                heartbeat.stop()
            with suppress(DatabaseError):  # if the database is gone, the next worker's recovery deletes the row
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
