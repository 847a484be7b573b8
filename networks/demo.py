"""Demo network intelligence: insights of every kind and visibility, fund spending, events."""

import datetime
from decimal import Decimal

from django.utils import timezone

from alliance.models import Employee
from networks.models import Attendance, Contribution, Event, FundPolicy, FundSpend, Tag

TODAY = datetime.date.today()
INSIGHTS = [
    ("market", "Mid-size banks are budgeting for workflow tools next year", "everyone", ["fintech", "budget"]),
    ("competitor", "Acme is rewriting its product on a new stack; releases have slowed", "managers", ["acme"]),
    ("technology", "Passkeys are now expected by enterprise buyers", "everyone", ["security", "sso"]),
    ("talent", "A senior designer at a rival is quietly looking", "hr", ["design", "hiring"]),
    ("customer", "A logistics firm in Rotterdam wants a pilot in Q2", "managers", ["logistics", "pilot"]),
    ("other", "The city is funding developer meetups: free venues", "everyone", ["community"]),
    ("market", "Procurement teams now ask for carbon reporting", "everyone", ["sustainability"]),
    ("technology", "Local-first sync is becoming a buying criterion", "everyone", ["sync", "offline"]),
]

EVENTS = [
    ("Platform engineering meetup", "Our office", 45),
    ("FinTech Week", "Amsterdam", 0),
    ("Design leaders dinner", "Lisbon", 12),
]


def seed_demo():
    """Idempotent: skipped once the demo company has insights."""
    FundPolicy.objects.get_or_create(pk=1, defaults={"yearly_budget": Decimal("1500.00"), "currency": "EUR"})
    if Contribution.objects.filter(contributor__employee_number__startswith="D-").exists():
        return
    people = list(
        Employee.objects.active()
        .filter(employee_number__startswith="D-")
        .select_related("manager__user")
        .order_by("employee_number")
    )
    tags = {}
    for i, person in enumerate(people[2:]):  # the CEO and HR share none
        kind, title, visibility, names = INSIGHTS[i % len(INSIGHTS)]
        c = Contribution.objects.create(
            contributor=person,
            kind=kind,
            title=title,
            visibility=visibility,
            insight=f"{title}. Heard over coffee with someone who works in the area; worth a closer look.",
            source="A former colleague" if i % 2 else "",
            created_at=timezone.now() - datetime.timedelta(days=3 * i),
        )
        c.tags.set([tags.setdefault(n, Tag.objects.get_or_create(name=n)[0]) for n in names])
        if i % 3 == 0 and person.manager:
            c.rating, c.rated_by, c.rated_at = 3 + i % 3, person.manager.user, timezone.now()
            if i % 2 == 0:
                c.acted_on, c.outcome = True, "We followed up and opened a conversation with their team."
            c.save()
        if i % 4 == 0:
            spend = FundSpend.objects.create(
                employee=person,
                spent_on=TODAY - datetime.timedelta(days=i + 1),
                amount=Decimal("42.50") + i,
                currency="EUR",
                what="lunch",
                note="Lunch with an industry contact",
            )
            spend.contributions.add(c)
    hr = Employee.objects.get(employee_number="D-002").user
    for n, (title, place, guests) in enumerate(EVENTS):
        event = Event.objects.create(
            title=title,
            place=place,
            outside_guests=guests,
            created_by=hr,
            kind="hosted" if guests else "attended",
            date=TODAY - datetime.timedelta(days=20 + 30 * n),
            learned="Customers keep asking for single sign-on.",
        )
        Attendance.objects.bulk_create(Attendance(event=event, employee=p) for p in people[3 + n :: 5])


def seed_generated(prefix="E", per_person=10, chunk=2000):
    """About ten insights per generated person, with the demo insights' tags, in bulk. Skips people who
    already have some."""
    people = list(
        Employee.objects.filter(employee_number__startswith=prefix, contributions__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    visibilities = ["everyone", "everyone", "everyone", "managers", "hr"]
    tags = {name: Tag.objects.get_or_create(name=name)[0].pk for *_, names in INSIGHTS for name in names}
    Tagged, titles = Contribution.tags.through, {title: names for _, title, _, names in INSIGHTS}
    for start in range(0, len(people), chunk):
        made = Contribution.objects.bulk_create(
            (
                Contribution(
                    contributor_id=pk,
                    kind=INSIGHTS[(pk + n) % 8][0],
                    title=INSIGHTS[(pk + n) % 8][1],
                    insight="Generated for benchmarks.",
                    visibility=visibilities[(pk + n) % 5],
                    created_at=now - datetime.timedelta(hours=(pk * 7 + n * 13) % 8760),
                    rating=(pk + n) % 5 + 1 if n % 3 == 0 else None,
                    acted_on=n % 9 == 0,
                )
                for pk in people[start : start + chunk]
                for n in range(per_person)
            ),
            batch_size=5000,
        )
        Tagged.objects.bulk_create(
            (Tagged(contribution_id=c.pk, tag_id=tags[name]) for c in made for name in titles[c.title]),
            batch_size=5000,
        )
    return len(people) * per_person
