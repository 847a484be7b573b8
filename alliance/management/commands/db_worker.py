"""`manage.py db_worker`: django-tasks-db's worker, polling without taking the write lock, with a heartbeat and
the recovery of tasks whose worker died (alliance.worker).

Its loop opens an exclusive transaction every `--interval` seconds to look for a task. On SQLite, the
default setup (`make run`), that is the database's one write lock, taken every second even with nothing
to do, so the web process's writes queue behind it. This worker looks with a plain read first (no
transaction, no lock: WAL readers never block or wait) and takes the lock only to claim a task that is
ready. It beats from a thread and, at start and on every beat, takes back the tasks left running by a worker
that stopped beating (alliance.worker.Heartbeating). Everything else (options, signals, reloading, running a
task) is django-tasks-db's; this app is listed before django_tasks_db, so `manage.py db_worker` is this.
"""

import logging
import time

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from alliance.worker import Heartbeating

logger = logging.getLogger("django_tasks_db")


class PollingWorker(db_worker.Worker):
    def ready_tasks(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim(self, tasks):
        """The next ready task, claimed under the write lock; None if another worker took it first."""
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # busy beyond the timeout: look again on the next round
            raise

    def run(self):
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            close_old_connections()
            tasks = self.ready_tasks()
            # The plain read: with nothing ready, no transaction is opened and no lock is taken.
            ready = tasks.exists()
            task_result = self.claim(tasks) if ready else None
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch and not ready:  # not when another worker or a busy lock beat us to a ready task
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks on worker=%s - exiting.", self._run_tasks, self.worker_id)
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)


class Worker(Heartbeating, PollingWorker):
    pass


class Command(db_worker.Command):
    help = (
        "Run the database background worker (polls with a plain read; locks only to claim a task; takes back "
        "the tasks of workers that died)"
    )

    def handle(self, *args, **options):
        # django-tasks-db's handle() builds its module's Worker: point it at ours for this call.
        original, db_worker.Worker = db_worker.Worker, Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
