"""`manage.py backup [FILE]`: a copy of the whole database (alliance.backups); `make backup` runs it."""

from django.core.management.base import BaseCommand, CommandError

from alliance import backups


class Command(BaseCommand):
    help = "Back up the whole database: SQLite's online backup, or PostgreSQL's pg_dump (custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write it (default: backups/alliance-<time>.<kind>)")

    def handle(self, *args, file=None, **options):
        try:
            path = backups.backup(file or backups.default_path())
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {path}")
