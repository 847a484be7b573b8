from django.core.management.base import BaseCommand

from portal.snapshot import company_snapshot_refresh


class Command(BaseCommand):
    help = "Recompute the HR dashboard's company-wide figures now (cron it to keep the page always fast)."

    def handle(self, *args, **options):
        snapshot = company_snapshot_refresh()
        self.stdout.write(f"Company figures refreshed at {snapshot.taken_at:%H:%M}.")
