"""Hostile input to the tour forms: start, terms and objectives, comment, sign, check-in, end,
programmes, the tour list's filters, and tour URLs with other people's or impossible ids."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import EmployeeFactory, ProgrammeFactory, make_tour
from tests.fuzz.hostile import anything, get, huge_ids, isolated, payloads, post
from tours.models import Tour
from tours.timeline import open_due_dates

TYPES = st.sampled_from([t for t, _ in Tour.Type.choices])
KEPT = st.sampled_from(["yes", "partly", "no"])


@pytest.fixture
def tours(cast):
    """The report's report's draft, proposed and agreed (started 100 days ago) tours; a stranger's tour."""
    started = datetime.date.today() - datetime.timedelta(days=100)
    stranger = EmployeeFactory(manager=cast.other)
    return {
        "draft": make_tour(cast.report_report, start=datetime.date.today() + datetime.timedelta(days=2000)),
        "proposed": make_tour(
            cast.report, state="proposed", start=datetime.date.today() + datetime.timedelta(days=3000)
        ),
        "agreed": make_tour(cast.report_report, state="agreed", start=started),
        "stranger": make_tour(stranger, author=cast.other.user),
        "programme": ProgrammeFactory(),
    }


def terms(tours, start="2031-03-03", end="2034-03-02"):
    return {
        "title": "Grow the platform team",
        "mission": "Make the platform self-service.",
        "company_gets": "A platform team.",
        "employee_gets": "Leadership experience.",
        "company_invests": "",
        "start_date": start,
        "end_date": end,
        "checkin_months": "3",
        "length_reason": "",
        "aspirations_served": "",
        "change_note": "",
        "objectives-TOTAL_FORMS": "1",
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "1",
        "objectives-MAX_NUM_FORMS": "20",
        "objectives-0-side": st.sampled_from(["employee", "company"]),
        "objectives-0-description": "Lead the migration",
        "objectives-0-measure": "Services migrated",
    }


@settings(max_examples=70)
@given(st.data())
def test_tour_create(cast, tours, data):
    """HR types the employee (number or email); a manager picks a direct report."""
    people = [cast.report.employee_number, cast.other.employee_number, cast.alumnus.employee_number,
              cast.hr.employee_number, cast.report_report.user.email]  # fmt: skip
    user = data.draw(st.sampled_from([cast.hr, cast.manager]))
    valid = terms(tours) | {
        "employee": st.sampled_from(people) if user == cast.hr else str(cast.report.pk),
        "type": TYPES,
        "programme": str(tours["programme"].pk),
    }
    ids = [cast.other.pk, cast.alumnus.pk, tours["programme"].pk + 1]
    with isolated():
        post(user, reverse("tours:create"), data.draw(payloads(valid, ids=ids, extra=["values"])))


@settings(max_examples=50)
@given(st.data())
def test_tour_edit(cast, tours, data):
    """A party changes the draft: the revision it was opened on travels with the form."""
    valid = terms(tours) | {"base_revision": "1"}
    with isolated():
        payload = data.draw(payloads(valid, ids=[2, 0], extra=["values"]))
        post(cast.report, reverse("tours:edit", args=[tours["draft"].pk]), payload)


@settings(max_examples=25)
@given(
    body=st.one_of(anything, st.lists(anything, min_size=2, max_size=3)), which=st.sampled_from(["draft", "stranger"])
)
def test_comment(cast, tours, body, which):
    with isolated():
        post(cast.manager, reverse("tours:comment", args=[tours[which].pk]), {"body": body})


@settings(max_examples=25)
@given(st.data())
def test_sign(cast, tours, data):
    with isolated():
        payload = data.draw(payloads({"revision": "1"}, ids=[2, 0]))
        post(cast.manager, reverse("tours:sign", args=[tours["proposed"].pk]), payload)


@settings(max_examples=40)
@given(st.data())
def test_check_in(cast, tours, data):
    tour = tours["agreed"]
    due = open_due_dates(tour, "employee")
    valid = {"due_on": due[0].isoformat(), "other_side_keeping": KEPT, "note": "Going well"}
    for objective in tour.agreed_revision.objectives.all():
        valid[f"objective-{objective.pk}-status"] = st.sampled_from(["on_track", "at_risk", "done", "missed"])
        valid[f"objective-{objective.pk}-note"] = "Two services moved"
    with isolated():
        user = data.draw(st.sampled_from([cast.report, cast.report_report]))
        post(user, reverse("tours:check_in", args=[tour.pk]), data.draw(payloads(valid)))


@settings(max_examples=40)
@given(st.data())
def test_end(cast, tours, data):
    valid = {
        "ended_on": datetime.date.today().isoformat(),
        "outcome": st.sampled_from(["successor", "planned_departure", "ended_early"]),
        "end_reason": "Moved teams",
        "company_kept": KEPT,
        "employee_kept": KEPT,
    }
    with isolated():
        user = data.draw(st.sampled_from([cast.report, cast.hr]))
        post(user, reverse("tours:end", args=[tours["agreed"].pk]), data.draw(payloads(valid)))


@settings(max_examples=35)
@given(st.data())
def test_programme(cast, tours, data):
    valid = {
        "name": "Associates",
        "description": "",
        "length_months": "18",
        "default_title": "Associate rotation",
        "default_mission": "",
        "default_company_gets": "",
        "default_employee_gets": "",
        "default_objectives": "Ship a feature\ncompany: Assign a mentor",
        "is_active": "on",
    }
    programme = tours["programme"]
    with isolated():
        url = data.draw(
            st.sampled_from([reverse("tours:programme_create"), reverse("tours:programme_edit", args=[programme.pk])])
        )
        post(cast.hr, url, data.draw(payloads(valid)))


@settings(max_examples=35)
@given(st.data())
def test_tour_list_filter(cast, tours, data):
    valid = {"q": "platform", "type": TYPES, "state": "agreed", "team": str(cast.report.team_id),
             "manager": cast.report.employee_number, "ending_within": "90", "page": "1"}  # fmt: skip
    with isolated():
        user = data.draw(st.sampled_from([cast.hr, cast.manager, cast.report_report]))
        get(user, reverse("tours:index"), data.draw(payloads(valid, ids=[cast.other.team_id])))


@settings(max_examples=25)
@given(st.data())
def test_compare(cast, tours, data):
    with isolated():
        query = data.draw(payloads({"a": "1", "b": "1"}, ids=[2, 0]))
        get(cast.manager, reverse("tours:compare", args=[tours["draft"].pk]), query, allowed=(200, 404))


TOUR_URLS = ["detail", "print", "compare", "edit", "delete", "check_in", "end"]
TOUR_POSTS = ["edit", "propose", "sign", "comment", "delete", "check_in", "plan_next", "end"]


@settings(max_examples=25)
@given(pk=st.one_of(huge_ids, st.just(-1)), name=st.sampled_from(TOUR_URLS), action=st.sampled_from(TOUR_POSTS))
def test_tour_urls_with_hostile_ids(cast, tours, pk, name, action):
    """A huge id is not found; the stranger's tour is not found for the manager (not theirs to see)."""
    pk = tours["stranger"].pk if pk == -1 else pk
    unknown = pk == tours["stranger"].pk or pk > 10**6
    seen = (404,) if unknown else (200, 302, 403, 404)
    with isolated():
        get(cast.manager, reverse(f"tours:{name}", args=[pk]), allowed=seen)
    with isolated():
        response = post(cast.manager, reverse(f"tours:{action}", args=[pk]), {"body": "x", "revision": "1"})
        assert response.status_code in seen
    with isolated():
        get(cast.hr, reverse("tours:programme_edit", args=[pk]), allowed=(200, 404))
