"""`manage.py restore FILE [--database-url URL]`: a backup into an empty database (alliance.backups)."""

from django.core.management.base import BaseCommand, CommandError

from alliance import backups


class Command(BaseCommand):
    help = "Restore a backup (from `manage.py backup`) into an empty database: the configured one, or --database-url."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database-url", help="restore into this database instead (e.g. to check a backup)")

    def handle(self, *args, file, database_url=None, **options):
        try:
            backups.restore(file, url=database_url)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}")
