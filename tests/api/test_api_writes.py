"""Writes through the API: where a person can write on the pages, through the pages' forms and services
(tours.services, the alumni profile form), with the pages' messages as 400s naming each field."""

import datetime

import pytest
from django.utils import timezone

from tours.models import CheckIn, Tour
from tours.timeline import open_due_dates

pytestmark = pytest.mark.django_db


def checkin_body(tour, objectives, **overrides):
    body = {
        "tour": tour.pk,
        "other_side_keeping": "partly",
        "note": "Budget late",
        "progress": [{"objective": o.pk, "status": "at_risk", "note": "Waiting"} for o in objectives],
    }
    return body | overrides


def test_the_manager_records_their_check_in(api, cast, world):
    tour = world["tour"]
    objectives = list(tour.agreed_revision.objectives.all())
    due = open_due_dates(tour, "manager")[0]
    response = api.post("/api/v1/checkins/", checkin_body(tour, objectives), as_="report")
    assert response.status_code == 201, response.json()
    checkin = CheckIn.objects.get(pk=response.json()["id"])
    assert (checkin.side, checkin.due_on, checkin.author, checkin.other_side_keeping) == (
        "manager",
        due,
        cast.report.user,
        "partly",
    )
    assert sorted(checkin.progress.values_list("objective_id", "status")) == sorted(
        (o.pk, "at_risk") for o in objectives
    )
    tour.refresh_from_db()
    assert tour.checkin_due_on != due  # both sides answered: the next date is due (the service's own bookkeeping)


def test_a_check_in_with_errors_is_a_400_naming_each_field(api, cast, world):
    tour = world["tour"]
    objectives = list(tour.agreed_revision.objectives.all())
    body = checkin_body(tour, objectives[:1], other_side_keeping="maybe")
    body["progress"][0]["status"] = "brilliant"
    response = api.post("/api/v1/checkins/", body, as_="report")
    assert response.status_code == 400
    errors = response.json()
    first, second = (f"progress.{o.pk}.status" for o in objectives)
    assert set(errors) == {"other_side_keeping", first, second}
    assert "Select a valid choice" in errors["other_side_keeping"][0]
    assert not CheckIn.objects.filter(side="manager").exists()


def test_only_a_party_checks_in_and_only_when_one_is_due(api, cast, world):
    tour = world["tour"]
    objectives = list(tour.agreed_revision.objectives.all())
    assert api.post("/api/v1/checkins/", checkin_body(tour, objectives), as_="manager").status_code == 403  # above
    assert api.post("/api/v1/checkins/", checkin_body(tour, objectives), as_="other").status_code == 404  # unseen
    again = api.post("/api/v1/checkins/", checkin_body(tour, objectives), as_="report_report")  # already did
    assert again.status_code == 400 and CheckIn.objects.count() == 1
    assert api.post("/api/v1/checkins/", checkin_body(tour, objectives), as_="report").status_code == 201


def draft_body(employee, **overrides):
    start = timezone.localdate() + datetime.timedelta(days=30)
    body = {
        "employee": employee.pk,
        "type": "transformational",
        "title": "Build the data team",
        "mission": "A data team that answers in a day.",
        "company_gets": "Faster decisions.",
        "employee_gets": "Leading a team.",
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=3 * 365)).isoformat(),
        "objectives": [{"side": "employee", "description": "Hire three analysts", "measure": "Offers signed"}],
    }
    return body | overrides


def test_a_manager_drafts_a_tour_for_their_direct_report(api, cast):
    response = api.post("/api/v1/tours/", draft_body(cast.report_report), as_="report")
    assert response.status_code == 201, response.json()
    tour = Tour.objects.get(pk=response.json()["id"])
    assert (tour.state, tour.employee, tour.created_by, tour.title) == (
        "draft",
        cast.report_report,
        cast.report.user,
        "Build the data team",
    )
    assert list(tour.current_revision.objectives.values_list("description", flat=True)) == ["Hire three analysts"]
    assert response.json()["current_revision"]["number"] == 1


def test_a_draft_breaking_the_type_rules_is_a_400_with_the_pages_messages(api, cast):
    start = timezone.localdate() + datetime.timedelta(days=30)
    body = draft_body(cast.report_report, end_date=(start + datetime.timedelta(days=200)).isoformat(), objectives=[])
    response = api.post("/api/v1/tours/", body, as_="report")
    assert response.status_code == 400
    errors = response.json()
    assert errors["length_reason"] == ["This tour is shorter than 2 or longer than 5 years: say why in a sentence."]
    assert errors["objectives"] == ["A tour needs at least one objective: describe it in a row below."]
    assert not Tour.objects.exists()


def test_drafting_for_someone_else_is_refused_as_on_the_page(api, cast):
    # Someone the manager cannot see is no one to them; a report's report is seen but is not theirs to draft for.
    assert api.post("/api/v1/tours/", draft_body(cast.other), as_="report").status_code == 400
    response = api.post("/api/v1/tours/", draft_body(cast.report_report), as_="manager")
    assert response.status_code == 400 and "employee" in response.json()
    assert api.post("/api/v1/tours/", draft_body(cast.report_report), as_="hr").status_code == 201
    assert Tour.objects.get().created_by == cast.hr.user


def test_an_alumna_updates_her_profile_and_nothing_else(api, cast, world):
    response = api.patch("/api/v1/alumni/me/", {"current_employer": "Initech", "mentoring": True}, as_="alumnus")
    assert response.status_code == 200, response.json()
    profile = world["listed"]
    before = profile.updated_at
    profile.refresh_from_db()
    assert (profile.current_employer, profile.mentoring, profile.listed) == ("Initech", True, True)
    assert profile.updated_at > before
    bad = api.patch("/api/v1/alumni/me/", {"personal_email": "not an email", "tier": "distinguished"}, as_="alumnus")
    assert bad.status_code == 400 and set(bad.json()) == {"tier"}
    bad = api.patch("/api/v1/alumni/me/", {"personal_email": "not an email"}, as_="alumnus")
    assert bad.status_code == 400 and bad.json() == {"personal_email": ["Enter a valid email address."]}
    assert api.patch("/api/v1/alumni/me/", {"location": "Oslo"}, as_="report").status_code == 403
    profile.refresh_from_db()
    assert profile.tier == "alumni" and profile.personal_email == ""
