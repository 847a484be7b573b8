from django.core.management.base import BaseCommand

from portal.trends import trends_record


class Command(BaseCommand):
    help = (
        "Record the reports' monthly history (the trends on each report). The first run backfills it from the "
        "data's own dates (up to 36 months); later runs finish the month just over and update the current one. "
        "Run it nightly, next to send_reminders. Safe to run as often as you like: each month is written once."
    )

    def handle(self, *args, **options):
        since, written = trends_record()
        self.stdout.write(f"Trends recorded from {since:%Y-%m}: {written} figure{'s' if written != 1 else ''} written.")
