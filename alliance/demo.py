"""Demo data for the people app: a believable company. Used by `manage.py seed_demo`."""

import datetime
import random

from django.contrib.auth.hashers import make_password

from alliance import access, tree
from alliance.models import CompanyValue, Employee, Organization, Team, User

DEMO_PASSWORD = "alliance-demo"
TEAMS = ["Engineering", "Product", "Design", "Sales", "Marketing", "People", "Finance", "Customer Success"]
FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonah",
    "Kiri",
    "Luca",
    "Maya",
    "Nikhil",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Adeyemi",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreno",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]
TITLES = {
    "Engineering": ["Software Engineer", "Senior Engineer", "Staff Engineer", "QA Engineer"],
    "Product": ["Product Manager", "Product Analyst"],
    "Design": ["Product Designer", "UX Researcher"],
    "Sales": ["Account Executive", "Sales Engineer"],
    "Marketing": ["Content Lead", "Growth Marketer"],
    "People": ["HR Partner", "Recruiter"],
    "Finance": ["Financial Analyst", "Controller"],
    "Customer Success": ["Customer Success Manager", "Support Specialist"],
}
VALUES = [
    ("Candour", "Say what is true, kindly, and early."),
    ("Mutual benefit", "Help the company grow and we help you grow your career."),
    ("Long-term thinking", "Act as someone who will be in touch with each other for decades."),
    ("Network curiosity", "Bring the outside in: there are more smart people outside than inside."),
]
# The four demo sign-ins (domain roles), plus the CEO at the top of the tree.
NAMED = [
    ("D-001", "Charlotte", "Evans", "ceo@example.com", "Chief Executive", "People", None, "2015-01-05"),
    ("D-002", "Harriet", "Ross", "hr@example.com", "Head of People", "People", "D-001", "2017-04-03"),
    ("D-003", "Marcus", "Reed", "manager@example.com", "Engineering Manager", "Engineering", "D-001", "2019-02-11"),
    ("D-004", "Emma", "Lopez", "employee@example.com", "Software Engineer", "Engineering", "D-003", "2022-09-01"),
    ("D-005", "Alice", "Moreau", "alumna@example.com", "Senior Designer", "Design", "D-001", "2018-05-14"),
]
DEMO_LOGINS = [
    ("hr@example.com", "HR"),
    ("manager@example.com", "Manager of a team"),
    ("employee@example.com", "Employee reporting to that manager"),
    ("alumna@example.com", "Former employee (alumna)"),
]


def seed_company():
    org = Organization.load()
    org.name = "Northwind Labs"
    org.mission = (
        "We build tools that make small teams as capable as large ones. "
        "We win by being a place where talented people do the best work of their careers, "
        "and leave better connected than they came."
    )
    org.save()
    for position, (name, description) in enumerate(VALUES, start=1):
        CompanyValue.objects.update_or_create(
            organization=org, name=name, defaults={"description": description, "position": position}
        )
    return {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}


def seed_named_people(teams):
    password = make_password(DEMO_PASSWORD)
    people = {}
    for number, first, last, email, title, team, manager, hired in NAMED:
        user, _ = User.objects.update_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "password": password}
        )
        people[number], _ = Employee.objects.update_or_create(
            employee_number=number,
            defaults={
                "user": user,
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "team": teams[team],
                "manager": people.get(manager),
                "hire_date": datetime.date.fromisoformat(hired),
                # As if Northwind's Okta provisions them by SCIM (README, Integrations): its id for each person.
                "external_id": f"00u-northwind-{number.lower()}",
            },
        )
    hr_user = people["D-002"].user
    hr_user.groups.add(access.hr_group())
    hr_user.is_staff = True
    hr_user.save(update_fields=["is_staff"])
    alumna = people["D-005"]
    alumna.departure_date = datetime.date(2025, 6, 30)
    alumna.save(update_fields=["departure_date"])
    emma = people["D-004"]
    emma.core_values = "Craft, honesty, learning in public."
    emma.aspirations = "Grow into a staff engineer who leads platform work."
    emma.post_company_goal = "Start a developer-tools company in five years."
    emma.save()
    return people


def seed_generated(teams, count, prefix="E", span=8, seed=42, deep=False):
    """`count` generated people in a tree under the CEO, built level by level with bulk writes: one
    head per team under the CEO, `span` reports each below. `deep`: everyone under one head, four
    reports each (a manager with the whole company in a subtree eight or more levels deep).
    Idempotent: numbers are deterministic and existing ones are skipped."""
    rng = random.Random(seed)
    ceo = Employee.objects.get(employee_number="D-001")
    numbers = [f"{prefix}{i:06d}" for i in range(1, count + 1)]
    existing = dict(Employee.objects.filter(employee_number__in=numbers).values_list("employee_number", "pk"))
    unusable = make_password(None)
    team_list = [teams["Engineering"]] if deep else list(teams.values())
    span = 4 if deep else span
    # Level 1: team heads under the CEO; then each level's people report to the previous level.
    parents, start, level_size = [ceo.pk], 0, len(team_list)
    today = datetime.date.today()
    while start < count:
        level = numbers[start : start + level_size]
        new = [n for n in level if n not in existing]
        plan = []
        for i, number in enumerate(level):
            team = team_list[i % len(team_list)] if start == 0 else None
            plan.append((number, parents[i % len(parents)], team))
        users = [
            User(
                email=f"{n.lower()}@example.com",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                password=unusable,
            )
            for n in new
        ]
        User.objects.bulk_create(users, batch_size=1000)
        users_by_email = {u.email: u for u in users}
        if new and users and users[0].pk is None:  # databases that do not return ids
            users_by_email = {u.email: u for u in User.objects.filter(email__in=list(users_by_email))}
        team_of_parent = dict(Employee.objects.filter(pk__in=parents).values_list("pk", "team_id"))
        employees = []
        for number, parent, team in plan:
            if number in existing:
                continue
            user = users_by_email[f"{number.lower()}@example.com"]
            team_id = team.pk if team else team_of_parent.get(parent)
            team_name = next(t.name for t in team_list if t.pk == team_id) if team_id else "Engineering"
            hired = today - datetime.timedelta(days=rng.randint(30, 3650))
            employees.append(
                Employee(
                    user=user,
                    first_name=user.first_name,
                    last_name=user.last_name,
                    employee_number=number,
                    job_title=rng.choice(TITLES.get(team_name, ["Specialist"])),
                    team_id=team_id,
                    manager_id=parent,
                    hire_date=hired,
                )
            )
        Employee.objects.bulk_create(employees, batch_size=1000)
        existing.update(Employee.objects.filter(employee_number__in=level).values_list("employee_number", "pk"))
        parents = [existing[n] for n in level]
        start += len(level)
        level_size = len(level) * span
    tree.rebuild()  # bulk inserts skip save(), which places each person in the reporting tree
    return len(numbers)


def seed_demo_people(teams, rng):
    """About 55 people under the named ones: three levels, the demo manager's team included."""
    people = seed_named_people(teams)
    # Team heads (level 2) report to the CEO; each has about six reports (level 3).
    heads = {"Engineering": people["D-003"]}
    n = 100
    for team in TEAMS:
        if team not in heads:
            heads[team] = _demo_person(f"D-{n:03d}", teams[team], people["D-001"], rng, head=True)
            n += 1
    for team, head in heads.items():
        for _ in range(6 if team != "Engineering" else 5):
            _demo_person(f"D-{n:03d}", teams[team], head, rng)
            n += 1
    return people


def _demo_person(number, team, manager, rng, head=False):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    title = f"Head of {team.name}" if head else rng.choice(TITLES[team.name])
    user, _ = User.objects.get_or_create(
        email=f"{first}.{last}.{number}@example.com".lower(),
        defaults={"first_name": first, "last_name": last, "password": make_password(None)},
    )
    employee, _ = Employee.objects.update_or_create(
        employee_number=number,
        defaults={
            "user": user,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": title,
            "team": team,
            "manager": manager,
            "hire_date": datetime.date(2016, 1, 4) + datetime.timedelta(days=rng.randint(0, 3000)),
        },
    )
    return employee
