"""The type rules, one tour in force at a time, and the date constraints."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tests.factories import ProgrammeFactory, make_tour
from tests.tours.test_workflow import terms_post
from tours import services
from tours.models import Tour
from tours.rules import terms_problems
from tours.schedule import add_months

START = datetime.date(2027, 1, 1)


def problems(**kwargs):
    base = {"tour_type": "transformational", "programme": None, "start": START, "end": None, "length_reason": ""}
    return dict(terms_problems(**{**base, **kwargs}))


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2027, 12, 15), 12) == datetime.date(2028, 12, 15)


def test_transformational_needs_an_end_and_a_reason_outside_two_to_five_years():
    assert "needs a planned end date" in problems()["end_date"]
    three_years = add_months(START, 36) - datetime.timedelta(days=1)
    assert problems(end=three_years) == {}
    assert problems(end=add_months(START, 60) - datetime.timedelta(days=1)) == {}  # exactly five years
    assert "say why" in problems(end=add_months(START, 12))["length_reason"]
    assert "say why" in problems(end=add_months(START, 72))["length_reason"]
    assert problems(end=add_months(START, 72), length_reason="A long research bet.") == {}


def test_rotational_keeps_its_programme_length(db):
    programme = ProgrammeFactory(length_months=18)
    assert "choose one" in problems(tour_type="rotational")["programme"]
    right = add_months(START, 18) - datetime.timedelta(days=1)
    assert problems(tour_type="rotational", programme=programme, end=right) == {}
    assert (
        "18 months"
        in problems(tour_type="rotational", programme=programme, end=right + datetime.timedelta(1))["end_date"]
    )


def test_foundational_is_open_ended():
    assert problems(tour_type="foundational") == {}
    assert "open-ended" in problems(tour_type="foundational", end=add_months(START, 24))["end_date"]


def test_end_after_start_always():
    assert "after the start" in problems(end=START)["end_date"]


@pytest.mark.parametrize(
    "constraint,changes",
    [
        ("tour_end_after_start", {"end_date": datetime.date(2026, 1, 1)}),
        ("tour_foundational_has_no_end", {"type": "foundational"}),
        ("tour_others_have_an_end", {"end_date": None}),
    ],
)
def test_database_constraints_back_the_rules(cast, constraint, changes):
    tour = make_tour(cast.report, start=datetime.date(2027, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Tour.objects.filter(pk=tour.pk).update(**changes)


def test_form_shows_type_rule_messages(cast, client_for):
    client = client_for("manager")
    data = {"employee": cast.report.pk, "type": "transformational", "programme": ""}
    data.update(terms_post(START, add_months(START, 6)))
    response = client.post(reverse("tours:create"), data)
    assert response.status_code == 200
    assert "shorter than 2 or longer than 5 years" in response.text
    assert not Tour.objects.exists()


def test_rotational_end_date_follows_the_programme(cast, client_for):
    programme = ProgrammeFactory(length_months=12)
    client = client_for("manager")
    step = client.get(
        reverse("tours:create"), {"employee": cast.report.pk, "type": "rotational", "programme": programme.pk}
    )
    assert step.context["form"].initial["mission"] == programme.default_mission
    assert len(step.context["formset"].initial) == 2
    data = {"employee": cast.report.pk, "type": "rotational", "programme": programme.pk}
    data.update(terms_post(START, None))
    assert client.post(reverse("tours:create"), data).status_code == 302
    assert Tour.objects.get().end_date == datetime.date(2027, 12, 31)


def test_rotational_without_programme_is_refused_at_step_one(cast, client_for):
    response = client_for("manager").get(reverse("tours:create"), {"employee": cast.report.pk, "type": "rotational"})
    assert "A rotational tour comes from a programme" in response.text


def test_a_tour_needs_a_manager_to_negotiate_with(cast, client_for):
    response = client_for("hr").get(
        reverse("tours:create"), {"employee": cast.other.employee_number, "type": "foundational"}
    )
    assert "has no manager to agree a tour with" in response.text


def test_no_tour_for_someone_who_left(cast, client_for):
    response = client_for("hr").get(
        reverse("tours:create"), {"employee": cast.alumnus.employee_number, "type": "foundational"}
    )
    assert "has left the company" in response.text


def test_a_successor_may_be_agreed_in_advance_but_not_overlap(cast):
    first = make_tour(cast.report, state="agreed", start=datetime.date(2027, 1, 1), years=2)  # to 2028-12-31
    overlapping = make_tour(cast.report, state="proposed", start=datetime.date(2028, 6, 1))
    services.tour_sign(tour=overlapping, user=cast.report.user, revision_number=1)
    with pytest.raises(services.TourError, match="overlap"):
        services.tour_sign(tour=overlapping, user=cast.manager.user, revision_number=1)
    overlapping.refresh_from_db()
    assert overlapping.state == "proposed"
    assert overlapping.current_revision.signatures.count() == 1  # the refused signature was rolled back
    successor = make_tour(cast.report, state="agreed", start=first.end_date + datetime.timedelta(days=1))
    assert successor.state == "agreed"


def test_an_open_ended_tour_blocks_any_later_one(cast):
    make_tour(cast.report, state="agreed", tour_type="foundational", start=datetime.date(2027, 1, 1))
    later = make_tour(cast.report, state="proposed", start=datetime.date(2035, 1, 1))
    services.tour_sign(tour=later, user=cast.report.user, revision_number=1)
    with pytest.raises(services.TourError, match="overlap"):
        services.tour_sign(tour=later, user=cast.manager.user, revision_number=1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_postgresql_refuses_two_agreed_tours_on_one_day_even_bypassing_the_services(cast):
    make_tour(cast.report, state="agreed", start=datetime.date(2027, 1, 1))
    other = make_tour(cast.report, state="proposed", start=datetime.date(2027, 6, 1))
    with pytest.raises(IntegrityError, match="tour_no_overlapping_agreement"), transaction.atomic():
        Tour.objects.filter(pk=other.pk).update(state="agreed")
