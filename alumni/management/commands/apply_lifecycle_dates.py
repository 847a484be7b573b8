from django.core.management.base import BaseCommand
from django.utils import timezone

from alumni.departures import departures_apply
from alumni.services import rehires_apply


class Command(BaseCommand):
    help = (
        "Apply the departures and rehires dated today or earlier: a leaver loses staff status, groups (HR), "
        "permissions and every open session; a boomerang's old departure date is cleared. Run daily, next to "
        "send_reminders. Safe to run as often as you like: each change is made once. Access itself never "
        "waits for this command: the checks already follow the dates."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        left = departures_apply(today=today)
        self.stdout.write(f"{left} departure{'s' if left != 1 else ''} took effect.")
        back = rehires_apply(today=today)
        self.stdout.write(f"{back} rehire{'s' if back != 1 else ''} took effect.")
