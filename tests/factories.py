import datetime

import factory

from alliance.models import Employee, Team, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    employee_number = factory.Sequence(lambda n: f"T{n:05d}")
    job_title = "Engineer"
    team = factory.SubFactory(TeamFactory)
    hire_date = datetime.date(2020, 1, 6)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tours.Programme"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Programme {n}")
    length_months = 18
    default_title = "Associate rotation"
    default_mission = "Learn three parts of the business."
    default_objectives = "Ship one feature in each team\ncompany: Assign a mentor in each team"


def make_tour(
    employee,
    *,
    state="draft",
    tour_type="transformational",
    start=None,
    years=3,
    end=None,
    programme=None,
    title="Grow the platform team",
    author=None,
):
    """A tour through the services, as the app makes them: draft, proposed or agreed."""
    from tours import rules, services
    from tours.models import Tour

    start = start or datetime.date.today() + datetime.timedelta(days=1)
    length_reason = "An explicit end date chosen by the test." if end else ""
    if end is None and tour_type == Tour.Type.TRANSFORMATIONAL:
        end = rules.add_months(start, 12 * years) - datetime.timedelta(days=1)
    if tour_type == Tour.Type.ROTATIONAL:
        programme = programme or ProgrammeFactory()
        end = rules.rotational_end(programme, start)
    terms = {
        "title": title,
        "mission": "Make the platform self-service.",
        "company_gets": "A platform team.",
        "employee_gets": "Leadership experience.",
        "start_date": start,
        "end_date": end,
        "checkin_months": 12 if tour_type == Tour.Type.FOUNDATIONAL else 3,
        "length_reason": length_reason,
    }
    objectives = [
        {"side": "employee", "description": "Lead the migration", "measure": "Services migrated per month"},
        {"side": "company", "description": "Fund a conference a year", "measure": "Budget approved"},
    ]
    author = author or employee.manager.user
    tour = services.tour_create(
        employee=employee,
        tour_type=tour_type,
        programme=programme,
        terms=terms,
        objectives=objectives,
        values=[],
        author=author,
    )
    if state in ("proposed", "agreed"):
        services.tour_propose(tour=tour, user=author)
    if state == "agreed":
        services.tour_sign(tour=tour, user=employee.user, revision_number=1)
        services.tour_sign(tour=tour, user=employee.manager.user, revision_number=1)
    tour.refresh_from_db()
    return tour
