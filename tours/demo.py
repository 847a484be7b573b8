"""Demo tours: every type and state for the demo company, and ~3 tours per generated employee.

The named demo people get their tours through the services (as the app would make them), with
notifications muted; generated people get theirs with bulk writes, fast enough for 10,000."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from alliance.models import CompanyValue, Employee
from alliance.notifications import muted
from tours import rules, services
from tours.models import CheckIn, Objective, Programme, Signature, Tour, TourRevision

TODAY = datetime.date.today()
PROGRAMMES = [
    ("Associate Product Rotation", 18, "Learn how product, engineering and sales fit together.",
     "Ship one customer-facing improvement in each team\ncompany: A mentor in each team"),
    ("Engineering Rotation", 12, "Work in three engineering teams and find where you add most.",
     "Deliver one project per team\ncompany: Pair with a senior engineer each rotation"),
]  # fmt: skip
MISSIONS = [
    ("Build the self-service platform", "Make every team able to ship without waiting on us.",
     "A platform used by every team; half the lead time for changes.",
     "Leading a platform team; a public talk; relationships with three platform vendors."),
    ("Open the German market", "Win our first twenty customers in Germany.",
     "Twenty customers and a repeatable sales playbook.", "Market-entry experience; a network in DACH."),
    ("Rebuild onboarding", "Halve the time new customers take to see value.",
     "Higher activation and retention.", "Experience leading a cross-team project; research skills."),
    ("Grow the data practice", "Turn our data into decisions every team uses weekly.",
     "Dashboards and models the business relies on.", "Machine-learning depth; a mentor in the field."),
]  # fmt: skip


def _terms(title, mission, company_gets, employee_gets, start, end, checkin_months=3, length_reason=""):
    return {"title": title, "mission": mission, "company_gets": company_gets, "employee_gets": employee_gets,
            "company_invests": "A conference a year and a coach.", "start_date": start, "end_date": end,
            "checkin_months": checkin_months, "length_reason": length_reason,
            "aspirations_served": "Growth into a leadership role."}  # fmt: skip


OBJECTIVES = [
    {"side": "employee", "description": "Deliver the first milestone", "measure": "Milestones on time"},
    {"side": "employee", "description": "Coach two colleagues", "measure": "Monthly coaching sessions"},
    {"side": "company", "description": "Sponsor a conference talk", "measure": "Talk submitted"},
]


def _tour(person, *, kind="transformational", start, end=None, state="agreed", mission=0, programme=None,
          checkins=0, reason=""):  # fmt: skip
    """One tour through the services; `state` agreed/proposed/draft, then check-ins as both sides."""
    title, text, company, employee = MISSIONS[mission % len(MISSIONS)]
    manager_user = person.manager.user
    if kind == Tour.Type.ROTATIONAL:
        end, title, text = rules.rotational_end(programme, start), programme.name, programme.default_mission
    months = 12 if kind == Tour.Type.FOUNDATIONAL else 3
    tour = services.tour_create(
        employee=person, tour_type=kind, programme=programme, author=manager_user, objectives=OBJECTIVES,
        terms=_terms(title, text, company, employee, start, end, months, reason),
        values=list(CompanyValue.objects.all()[:2]),
    )  # fmt: skip
    if state in ("proposed", "agreed"):
        services.tour_propose(tour=tour, user=manager_user)
    if state == "agreed":
        services.tour_sign(tour=tour, user=person.user, revision_number=1)
        services.tour_sign(tour=tour, user=manager_user, revision_number=1)
        tour.refresh_from_db()
        progress = [(o, "on_track", "") for o in tour.agreed_revision.objectives.all()]
        for due in tour.checkin_dates(until=TODAY)[:checkins]:
            for user in (person.user, manager_user):
                services.tour_check_in(tour=tour, user=user, due_on=due, other_side_keeping="yes",
                                       note="Good progress; keep going.", progress=progress)  # fmt: skip
    return tour


def seed_programmes():
    return [
        Programme.objects.update_or_create(
            name=name,
            defaults={
                "length_months": months,
                "default_title": name,
                "default_mission": mission,
                "default_company_gets": "A broad, well-connected generalist.",
                "default_employee_gets": "A map of the company and a chosen next step.",
                "default_objectives": objectives,
            },  # fmt: skip
        )[0]
        for name, months, mission, objectives in PROGRAMMES
    ]


def seed_demo():
    """Tours for the demo company. Skips anyone who already has tours (safe to run again)."""
    programmes = seed_programmes()
    people = Employee.objects.filter(employee_number__startswith="D-").select_related("manager__user", "user")
    with_tours = set(Tour.objects.values_list("employee_id", flat=True).distinct())
    by_number = {p.employee_number: p for p in people}
    told = None
    with muted():
        emma = by_number["D-004"]
        if emma.pk not in with_tours:
            # The demo employee: an agreed transformational tour with two check-ins and a draft next tour.
            start = TODAY - datetime.timedelta(days=200)
            tour = _tour(emma, start=start, end=rules.add_months(start, 36) - datetime.timedelta(days=1), checkins=2)
            services.tour_comment(tour=tour, user=emma.user, body="Happy with this. Can we add a conference talk?")
            services.tour_plan_next(tour=tour, user=emma.user)
        marcus_team = [p for p in people if p.manager_id == by_number["D-003"].pk and p.pk != emma.pk]
        others = [p for p in people if p.manager_id and p.pk not in {emma.pk, *(m.pk for m in marcus_team)}]
        for i, person in enumerate(marcus_team):
            if person.pk in with_tours or not person.is_active_on():
                continue
            # The demo manager's team: tours ending soon, waiting for a signature, a draft, a rotation.
            if i == 0:
                told = _tour(
                    person, start=TODAY - datetime.timedelta(days=700), end=TODAY + datetime.timedelta(days=20),
                    checkins=6, reason="A two-year bet, shortened when the project ended.",
                )  # fmt: skip
            elif i == 1:
                ending = TODAY + datetime.timedelta(days=25)
                _tour(person, start=TODAY - datetime.timedelta(days=800), end=ending, mission=1, checkins=8,
                      reason="Aligned with the market launch.")  # fmt: skip
            elif i == 2:
                _tour(person, start=TODAY + datetime.timedelta(days=14), end=TODAY + datetime.timedelta(days=1110),
                      state="proposed", mission=2)  # fmt: skip
            elif i == 3:
                _tour(person, start=TODAY + datetime.timedelta(days=30), end=TODAY + datetime.timedelta(days=1125),
                      state="draft", mission=3)  # fmt: skip
            else:
                _tour(person, kind="rotational", programme=programmes[1], start=TODAY - datetime.timedelta(days=60))
        for i, person in enumerate(others):
            if person.pk in with_tours or not person.is_active_on():
                continue
            _seed_other(person, i, programmes)
    if told is not None:
        # Out of the muted block: she checks in on her overdue date and Marcus is told (his notification centre and
        # digest show it next to his own check-in, still overdue).
        told.refresh_from_db()
        progress = [(o, "at_risk", "The launch slipped a month.") for o in told.agreed_revision.objectives.all()]
        services.tour_check_in(
            tour=told, user=told.employee.user, due_on=told.checkin_due_on, other_side_keeping="yes",
            note="Behind on the launch; can we talk about what comes next?", progress=progress,
        )  # fmt: skip


def backdate_history():
    """Give the demo tours the past they describe. Seeding runs every tour through its services today, so each
    was signed, checked in on and followed up "now", and the trends (tours.trends, read from those dates) would
    show an empty past. Signed ten days before the start, each check-in answered five days after its date, and
    every other successor drafted 90 days before its predecessor ended. Setting the same dates again is a no-op."""

    def noon(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    demo = Tour.objects.filter(employee__employee_number__startswith="D-")
    for tour in demo.filter(agreed_at__isnull=False, start_date__lt=TODAY):
        Tour.objects.filter(pk=tour.pk).update(agreed_at=noon(tour.start_date - datetime.timedelta(days=10)))
    for checkin in CheckIn.objects.filter(tour__in=demo, due_on__lt=TODAY - datetime.timedelta(days=5)):
        CheckIn.objects.filter(pk=checkin.pk).update(created_at=noon(checkin.due_on + datetime.timedelta(days=5)))
    for tour in demo.filter(predecessor__ended_on__isnull=False).select_related("predecessor"):
        if tour.pk % 2:
            drafted = tour.predecessor.ended_on - datetime.timedelta(days=90)
            Tour.objects.filter(pk=tour.pk).update(created_at=noon(drafted))


def _seed_other(person, i, programmes):
    """A mix across the company: foundational for leaders, completed and ended-early histories."""
    if person.reports.exists():
        _tour(person, kind="foundational", start=TODAY - datetime.timedelta(days=400), checkins=1)
        return
    past_start = TODAY - datetime.timedelta(days=1200)
    past = _tour(person, start=past_start, end=TODAY - datetime.timedelta(days=100), mission=i,
                 checkins=4, reason="A shorter first tour.")  # fmt: skip
    if i % 4 == 0:
        services.tour_end(tour=past, ended_on=TODAY - datetime.timedelta(days=300), outcome="ended_early",
                          end_reason="The project was cancelled; we agreed a new mission.", company_kept="yes",
                          employee_kept="yes")  # fmt: skip
    else:
        successor = services.tour_plan_next(tour=past, user=person.manager.user)
        services.tour_end(tour=past, ended_on=past.end_date, outcome="successor", end_reason="",
                          company_kept="yes", employee_kept="partly" if i % 3 else "yes")  # fmt: skip
        services.tour_propose(tour=successor, user=person.manager.user)
        if i % 2:
            services.tour_sign(tour=successor, user=person.user, revision_number=1)
            services.tour_sign(tour=successor, user=person.manager.user, revision_number=1)
    if i % 5 == 0:
        _tour(person, kind="rotational", programme=programmes[0], start=TODAY + datetime.timedelta(days=400),
              state="draft")  # fmt: skip


def seed_generated(prefix="E", chunk=2000):
    """About three tours for each generated employee (numbers starting with `prefix`), in bulk:
    a completed tour, the agreed one in force that followed it, and a draft of the next.
    Skips people who already have tours, so it is safe to run again."""
    people = (
        Employee.objects.filter(employee_number__startswith=prefix, manager__isnull=False, tours__isnull=True)
        .order_by("pk")
        .values_list("pk", "manager__user_id")
    )
    people = list(people)
    for i in range(0, len(people), chunk):
        _bulk_tours(people[i : i + chunk])
    return len(people) * 3


def _bulk_tours(people):
    first_start, first_end = TODAY - datetime.timedelta(days=1100), TODAY - datetime.timedelta(days=366)
    current_start = first_end + datetime.timedelta(days=1)
    current_end = rules.add_months(current_start, 36) - datetime.timedelta(days=1)
    next_start = current_end + datetime.timedelta(days=1)
    next_end = rules.add_months(next_start, 36) - datetime.timedelta(days=1)
    common = {"type": Tour.Type.TRANSFORMATIONAL, "checkin_months": 3}
    completed = Tour.objects.bulk_create(
        Tour(employee_id=pk, created_by_id=boss, title=MISSIONS[pk % 4][0], start_date=first_start,
             end_date=first_end, state=Tour.State.COMPLETED, ended_on=first_end, outcome=Tour.Outcome.SUCCESSOR,
             company_kept="yes", employee_kept="yes" if pk % 3 else "partly", **common)
        for pk, boss in people
    )  # fmt: skip
    current = Tour.objects.bulk_create(
        Tour(employee_id=pk, created_by_id=boss, title=MISSIONS[(pk + 1) % 4][0], start_date=current_start,
             end_date=current_end, state=Tour.State.AGREED, predecessor=before, **common)
        for (pk, boss), before in zip(people, completed, strict=True)
    )  # fmt: skip
    drafts = Tour.objects.bulk_create(
        Tour(employee_id=pk, created_by_id=boss, title=MISSIONS[(pk + 2) % 4][0], start_date=next_start,
             end_date=next_end, state=Tour.State.DRAFT, predecessor=before, **common)
        for (pk, boss), before in zip(people, current, strict=True)
    )  # fmt: skip
    tours = completed + current + drafts
    # bulk_create skips save(): every tour of a kind shares its dates, so one UPDATE per kind.
    for kind in (completed, current, drafts):
        Tour.objects.filter(pk__in=[t.pk for t in kind]).update(next_tour_on=kind[0].next_tour_conversation())
    # The tours in force have no check-ins yet: the first date of the schedule is the one due.
    Tour.objects.filter(pk__in=[t.pk for t in current]).update(checkin_due_on=current[0].next_checkin_due([]))

    revisions = TourRevision.objects.bulk_create(
        TourRevision(tour=t, number=1, author_id=t.created_by_id, title=t.title, mission=MISSIONS[t.pk % 4][1],
                     company_gets=MISSIONS[t.pk % 4][2], employee_gets=MISSIONS[t.pk % 4][3],
                     start_date=t.start_date, end_date=t.end_date, checkin_months=3)
        for t in tours
    )  # fmt: skip
    # Two UPDATEs with a subquery instead of 3 × chunk row updates.
    first = TourRevision.objects.filter(tour=OuterRef("pk"), number=1).values("pk")[:1]
    ids = [t.pk for t in tours]
    Tour.objects.filter(pk__in=ids).update(current_revision=Subquery(first))
    Tour.objects.filter(pk__in=ids).exclude(state=Tour.State.DRAFT).update(agreed_revision=Subquery(first))
    Objective.objects.bulk_create(
        (Objective(revision=r, position=n, **o) for r in revisions for n, o in enumerate(OBJECTIVES[:2])),
        batch_size=2000,
    )
    employee_user = dict(Employee.objects.filter(pk__in=[p for p, _ in people]).values_list("pk", "user_id"))
    Signature.objects.bulk_create(
        (Signature(revision=r, role=role, signer_id=employee_user[r.tour.employee_id] if role == "employee"
                   else r.author_id)
         for r in revisions if r.tour.state != Tour.State.DRAFT for role in ("employee", "manager")),
        batch_size=2000,
    )  # fmt: skip
