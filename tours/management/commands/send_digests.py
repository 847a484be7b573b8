from django.core.management.base import BaseCommand

from tours.digest_mail import send_digests


class Command(BaseCommand):
    help = (
        "Send each person's digest email (what needs them on their tours, their people's and, for HR, the "
        "company's; what they were told since the last one): daily or weekly, as each chose on their account "
        "page. Run it daily; safe to run as often as you like: a person gets at most one a day (daily) or an "
        "ISO week (weekly)."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
