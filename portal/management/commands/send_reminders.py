from django.core.management.base import BaseCommand
from django.utils import timezone

from alumni.reminders import send_stale_profile_reminders
from tours.reminders import send_tour_reminders


class Command(BaseCommand):
    help = (
        "Send the time-based reminders due today (check-ins due or overdue, next-tour conversations, tours "
        "ending soon; alumni profiles over a year old, once a quarter). Safe to run as often as you like: "
        "each reminder is sent once."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        tours = send_tour_reminders(today)
        self.stdout.write(f"{tours} tour reminder{'s' if tours != 1 else ''} sent.")
        alumni = send_stale_profile_reminders(today)
        self.stdout.write(f"{alumni} stale-profile reminder{'s' if alumni != 1 else ''} sent.")
