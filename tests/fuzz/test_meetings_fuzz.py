"""Hostile input to the 1:1 workspace (talking points, private notes, "We met") and to the horizon's filters:
a form error, a message, 403 or 404, never a 500, and a refused request writes nothing."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import services
from tests.factories import EmployeeFactory, make_tour
from tests.fuzz.hostile import anything, get, huge_ids, isolated, payloads, post


@pytest.fixture
def meeting(cast):
    """The report's report's agreed tour (a check-in due), a point on its agenda; a stranger's tour."""
    tour = make_tour(cast.report_report, state="agreed", start=datetime.date.today() - datetime.timedelta(days=100))
    point = services.point_add(tour=tour, user=cast.report_report.user, text="The conference budget")
    stranger = make_tour(EmployeeFactory(manager=cast.other), state="agreed", author=cast.other.user)
    return {"tour": tour, "point": point, "stranger": stranger}


@settings(max_examples=30)
@given(st.data())
def test_points_and_notes(cast, meeting, data):
    tour = meeting["tour"]
    user = data.draw(st.sampled_from([cast.report, cast.report_report, cast.hr, cast.manager]))
    with isolated():
        post(user, reverse("meetings:point_add", args=[tour.pk]), data.draw(payloads({"point-text": "Hiring"})))
    with isolated():
        post(user, reverse("meetings:note_save", args=[tour.pk]), data.draw(payloads({"note-text": "Mine"})))
    with isolated():
        post(user, reverse("meetings:point_cover", args=[meeting["point"].pk]), data.draw(payloads({"covered": "1"})))


@settings(max_examples=40)
@given(st.data())
def test_we_met(cast, meeting, data):
    tour = meeting["tour"]
    valid = {
        "due_on": tour.checkin_due_on.isoformat(),
        "met_on": datetime.date.today().isoformat(),
        "other_side_keeping": st.sampled_from(["yes", "partly", "no"]),
        "note": "Good talk",
    }
    for objective in tour.agreed_revision.objectives.all():
        valid[f"objective-{objective.pk}-status"] = st.sampled_from(["on_track", "at_risk", "done", "missed"])
        valid[f"objective-{objective.pk}-note"] = "Moving"
    with isolated():
        user = data.draw(st.sampled_from([cast.report, cast.report_report]))
        post(user, reverse("meetings:we_met", args=[tour.pk]), data.draw(payloads(valid)))


@settings(max_examples=20)
@given(pk=st.one_of(huge_ids, st.just(-1)), name=st.sampled_from(["point_add", "note_save", "we_met"]))
def test_hostile_and_foreign_ids(cast, meeting, pk, name):
    """A huge id and the stranger's tour are not found for the manager (not theirs to see)."""
    pk = meeting["stranger"].pk if pk == -1 else pk
    seen = (404,) if pk == meeting["stranger"].pk or pk > 10**6 else (200, 302, 403, 404)
    with isolated():
        get(cast.manager, reverse("meetings:workspace", args=[pk]), allowed=seen)
    with isolated():
        assert post(cast.manager, reverse(f"meetings:{name}", args=[pk]), {"point-text": "x"}).status_code in seen
    with isolated():
        post(cast.manager, reverse("meetings:point_delete", args=[pk]), {})


@settings(max_examples=25)
@given(team=anything, page=anything, role=st.sampled_from(["hr", "manager"]))
def test_horizon_filters(cast, team, page, role):
    with isolated():
        get(getattr(cast, role), reverse("horizon"), {"team": team, "page": page})
