import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from alliance import demo
from alumni import demo as alumni_demo
from calendars import demo as calendar_demo
from meetings import demo as meeting_demo
from networks import demo as network_demo
from portal.trends import trends_record
from signin import demo as signin_demo
from tours import demo as tour_demo
from webhooks import demo as webhook_demo


class Command(BaseCommand):
    help = "Build (or refresh) the demo company. Safe to run again: it never duplicates anything."

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=0,
            help="Also generate this many extra employees (for benchmarks), e.g. 10000.",
        )
        parser.add_argument(
            "--deep",
            action="store_true",
            help="Generate them all under one manager, four reports each (a subtree of the whole company).",
        )

    def handle(self, *args, employees, deep, **options):
        started = time.monotonic()
        rng = random.Random(2014)  # the book's year: the same company every time
        with transaction.atomic():
            teams = demo.seed_company()
            demo.seed_demo_people(teams, rng)
            tour_demo.seed_demo()
            network_demo.seed_demo()
            alumni_demo.seed_demo(rng)
            signin_demo.seed_demo()
            tour_demo.backdate_history()  # before the 1:1 agendas' demo, which records its check-ins today
            meeting_demo.seed_demo()
        # After the commit that announces the demo's own events (alliance.events), so none is queued for it.
        with transaction.atomic():
            webhook_demo.seed_demo()
            calendar_demo.seed_demo()
        if employees:
            with transaction.atomic():
                demo.seed_generated(teams, employees, deep=deep)
                tour_demo.seed_generated()
                network_demo.seed_generated()
                alumni_demo.seed_generated()
            if connection.vendor == "postgresql":  # after the bulk load: no dead index entries, fresh statistics
                with connection.cursor() as cursor:  # (VACUUM cannot run inside a transaction, e.g. a test's)
                    cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        if not employees:  # the benchmark's company skips it: a 36-month backfill of 30,000 tours takes minutes
            since, written = trends_record()
            self.stdout.write(f"Trends recorded from {since:%Y-%m} ({written} figures).")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))
        self.stdout.write(f"Demo sign-ins (password: {demo.DEMO_PASSWORD}):")
        for email, role in demo.DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {role}")
        self.stdout.write(
            "SCIM provisioning (README, Integrations): python manage.py api_token create --email hr@example.com "
            "--scopes scim --service, then /scim/v2/Users with Authorization: Bearer <token>."
        )
        self.stdout.write("The REST API: docs at /api/v1/docs/ (signed in); tokens on Your account (/account/).")
        if settings.MFA_REQUIRED_FOR:
            required = ", ".join(settings.MFA_REQUIRED_FOR)
            self.stdout.write(f"Two-factor: required for {required} (MFA_REQUIRED_FOR): set it up at first sign-in.")
        else:
            self.stdout.write(
                "Two-factor: optional in this demo (MFA_REQUIRED_FOR is empty; in production it defaults to hr, and HR "
                "must set up a second factor before any other page). Anyone may set one up under 'Your account'."
            )
        if settings.SSO_ENABLED:
            self.stdout.write(
                f"Single sign-on: 'Sign in with {settings.SSO_NAME}' ({settings.SSO_OIDC_URL}); authorize as a demo "
                "address (the alumna and a stranger are refused)."
            )
