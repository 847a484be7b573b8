"""Demo alumni: the alumna's complete profile, ~15 more across tiers and interests (some stale, some
not listed, one boomerang back at work), a few referrals; ~half of generated people as alumni."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from alliance.demo import FIRST, LAST
from alliance.models import Employee, Team, User
from alumni.models import AlumniProfile, Departure, Referral, Rehire
from tours.models import Tour, TourRevision

TODAY = datetime.date.today()
EMPLOYERS = ["Initech", "Globex", "Hooli", "Umbrella Health", "Stark Logistics", "Wayne Capital", "Acme Cloud"]
CITIES = ["Lisbon", "Berlin", "London", "Amsterdam", "Paris", "Remote", "New York"]
INTERESTS = [f for f, _ in AlumniProfile.INTERESTS]


def _completed_tour(employee, start, end, author):
    """A past, completed tour written directly (history, not a negotiation)."""
    tour = Tour.objects.create(
        employee=employee,
        type=Tour.Type.TRANSFORMATIONAL,
        state=Tour.State.COMPLETED,
        title="Redesign the product's onboarding",
        start_date=start,
        end_date=end,
        ended_on=end,
        outcome=Tour.Outcome.PLANNED_DEPARTURE,
        company_kept="yes",
        employee_kept="yes",
        created_by=author,
        agreed_at=timezone.now(),
    )
    revision = TourRevision.objects.create(
        tour=tour,
        number=1,
        author=author,
        title=tour.title,
        mission="Halve the time new customers take to see value.",
        company_gets="A new onboarding flow.",
        employee_gets="Leadership.",
        start_date=start,
        end_date=end,
    )
    Tour.objects.filter(pk=tour.pk).update(current_revision=revision, agreed_revision=revision)


def _former_teammate(hr):
    """A former engineer of Marcus's team, listed in the directory and open to returning (HR would rehire him):
    the alumni part of Marcus's horizon."""
    marcus = Employee.objects.get(employee_number="D-003")
    left = TODAY - datetime.timedelta(days=120)
    user, _ = User.objects.get_or_create(
        email="tomas.reyes@example.com",
        defaults={"first_name": "Tomás", "last_name": "Reyes", "password": make_password(None)},
    )
    person, _ = Employee.objects.get_or_create(
        employee_number="D-300",
        defaults={
            "user": user, "first_name": "Tomás", "last_name": "Reyes", "job_title": "Software Engineer",
            "team": marcus.team, "manager": marcus, "hire_date": left - datetime.timedelta(days=1100),
            "departure_date": left,
        },
    )  # fmt: skip
    Departure.objects.get_or_create(
        employee=person,
        defaults={"departure_date": left, "reason": "end_of_tour", "recorded_by": hr, "rehire_eligible": True},
    )
    AlumniProfile.objects.get_or_create(
        employee=person,
        defaults={
            "current_employer": "Acme Cloud", "current_title": "Staff Engineer", "location": "Berlin",
            "open_to_returning": True, "mentoring": True, "listed": True, "joined_at": timezone.now(),
        },
    )  # fmt: skip


def seed_demo(rng=None):
    """Idempotent: keyed on the alumna's profile and the D-2xx numbers."""
    rng = rng or random.Random(2014)
    hr = User.objects.get(email="hr@example.com")
    alice = Employee.objects.get(employee_number="D-005")
    profile, created = AlumniProfile.objects.get_or_create(
        employee=alice,
        defaults={
            "tier": AlumniProfile.Tier.DISTINGUISHED,
            "current_employer": "Hooli",
            "current_title": "Design Director",
            "location": "Lisbon",
            "personal_email": "alice.moreau@home.example",
            "profile_url": "https://alice.example/",
            "mentoring": True,
            "referring": True,
            "events": True,
            "open_to_returning": True,
            "listed": True,
            "show_profile_url": True,
            "note": "Always happy to talk design systems.",
            "joined_at": timezone.now(),
        },
    )
    if not created:
        return
    Departure.objects.create(
        employee=alice,
        departure_date=alice.departure_date,
        reason="end_of_tour",
        exit_notes="Finished her tour; leaving to lead design at a larger company.",
        rehire_eligible=True,
        rehire_reason="Outstanding; would welcome her back.",
        recorded_by=hr,
    )
    _completed_tour(alice, datetime.date(2022, 7, 1), alice.departure_date, hr)
    design = Team.objects.get(name="Design")
    password = make_password(None)
    for n in range(15):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        number = f"D-2{n:02d}"
        user, _ = User.objects.get_or_create(
            email=f"{first}.{last}.{number}@example.com".lower(),
            defaults={"first_name": first, "last_name": last, "password": password},
        )
        left = TODAY - datetime.timedelta(days=60 + 45 * n)
        person, _ = Employee.objects.update_or_create(
            employee_number=number,
            defaults={
                "user": user,
                "first_name": first,
                "last_name": last,
                "job_title": "Product Designer",
                "team": design,
                "hire_date": left - datetime.timedelta(days=900),
                "departure_date": left,
            },
        )
        Departure.objects.get_or_create(
            employee=person,
            defaults={
                "departure_date": left,
                "reason": rng.choice(["end_of_tour", "resigned", "other"]),
                "recorded_by": hr,
                "rehire_eligible": [True, True, None, False][n % 4],
                "rehire_reason": "Left mid-project without notice." if n % 4 == 3 else "",
            },
        )
        updated = timezone.now() - datetime.timedelta(days=500 if n % 4 == 0 else 20 * n)  # some stale
        AlumniProfile.objects.get_or_create(
            employee=person,
            defaults={
                "tier": AlumniProfile.Tier.DISTINGUISHED if n % 5 == 0 else AlumniProfile.Tier.ALUMNI,
                "current_employer": EMPLOYERS[n % len(EMPLOYERS)],
                "current_title": "Designer",
                "location": CITIES[n % len(CITIES)],
                "listed": n % 3 != 0,
                "show_personal_email": n % 2 == 0,
                "personal_email": f"{first}.{last}.{n}@home.example".lower(),
                "updated_at": updated,
                "joined_at": timezone.now() - datetime.timedelta(days=30),
                **{INTERESTS[n % 6]: True, INTERESTS[(n + 2) % 6]: True},
            },
        )
    _former_teammate(hr)
    # A boomerang: a current designer who left once and came back.
    boomerang = Employee.objects.filter(team=design, employee_number__startswith="D-1").order_by("pk").last()
    if boomerang:
        first_stint = Departure.objects.create(
            employee=boomerang,
            departure_date=datetime.date(2021, 3, 31),
            reason="resigned",
            rehire_eligible=True,
            recorded_by=hr,
        )
        Rehire.objects.create(employee=boomerang, rehired_on=datetime.date(2023, 1, 9), departure=first_stint, by=hr)
        AlumniProfile.objects.get_or_create(employee=boomerang, defaults={"joined_at": timezone.now()})
    for name, role, status in [
        ("Noor Haddad", "Senior Designer", "new"),
        ("Ivo Petrov", "Staff Engineer", "contacted"),
        ("Lena Fischer", "Product Manager", "hired"),
    ]:
        Referral.objects.create(
            referrer=alice,
            candidate_name=name,
            role_of_interest=role,
            status=status,
            contact=f"{name.split()[0].lower()}@candidate.example",
        )


def seed_generated(prefix="E", keep_one_in=20):
    """Generated people without reports become alumni, except one in `keep_one_in`: about 5,000 alumni
    for 10,000 generated people (the tree has ~5,300 leaves)."""
    leaves = Employee.objects.filter(employee_number__startswith=prefix, reports__isnull=True).values_list(
        "pk", "employee_number", "alumni_profile"
    )
    # Chosen by employee number, so a second run picks the same people (and skips them).
    chosen = [pk for pk, number, profile in leaves if int(number[len(prefix) :]) % keep_one_in and profile is None]
    departed = TODAY - datetime.timedelta(days=30)
    for start in range(0, len(chosen), 2000):
        ids = chosen[start : start + 2000]
        Employee.objects.filter(pk__in=ids).update(departure_date=departed)
        Tour.objects.filter(employee__in=ids, state=Tour.State.AGREED).update(
            state=Tour.State.COMPLETED, outcome=Tour.Outcome.PLANNED_DEPARTURE, ended_on=departed
        )
        AlumniProfile.objects.bulk_create(
            [
                AlumniProfile(
                    employee_id=pk,
                    current_employer=EMPLOYERS[pk % 7],
                    location=CITIES[pk % 7],
                    listed=pk % 3 == 0,
                    joined_at=timezone.now(),
                    **{INTERESTS[pk % 6]: True},
                    updated_at=timezone.now() - datetime.timedelta(days=pk % 700),
                )
                for pk in ids
            ],
            batch_size=2000,
        )
    return len(chosen)
