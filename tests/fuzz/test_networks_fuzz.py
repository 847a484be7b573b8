"""Hostile input to the network forms: insights, ratings, the feed's filters and CSV, the fund
(spending, the company default, one person's budget) and events."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from networks.models import Contribution, Event
from tests.factories import make_tour
from tests.fuzz.hostile import get, huge_ids, isolated, payloads, post

KINDS = st.sampled_from([k for k, _ in Contribution.Kind.choices])
VISIBILITY = st.sampled_from([v for v, _ in Contribution.Visibility.choices])
TODAY = datetime.date.today().isoformat()


@pytest.fixture
def things(cast):
    """The report's report's own insight and tour; the other team's insight and tour; an event."""
    mine = Contribution.objects.create(contributor=cast.report_report, kind="market", title="t", insight="i")
    theirs = Contribution.objects.create(contributor=cast.other, kind="market", title="o", insight="o", visibility="hr")
    return {
        "mine": mine,
        "theirs": theirs,
        "tour": make_tour(cast.report_report),
        "their_tour": make_tour(cast.report, author=cast.manager.user),
        "event": Event.objects.create(title="Meetup", date=datetime.date.today(), created_by=cast.manager.user),
    }


def insight(things):
    return {
        "kind": KINDS,
        "title": "Competitor cuts prices",
        "insight": "They cut prices by 20% in the Nordics.",
        "source": "A former colleague",
        "tags_text": "pricing, nordics",
        "visibility": VISIBILITY,
        "tour": str(things["tour"].pk),
    }


@settings(max_examples=45)
@given(st.data())
def test_insight_create_and_edit(cast, things, data):
    """Another person's tour, an alumnus who may only share with HR, too many tags."""
    user = data.draw(st.sampled_from([cast.report_report, cast.alumnus]))
    url = data.draw(st.sampled_from([reverse("networks:create"), reverse("networks:edit", args=[things["mine"].pk])]))
    with isolated():
        payload = data.draw(payloads(insight(things), ids=[things["their_tour"].pk, 0]))
        post(user, url, payload)


@settings(max_examples=30)
@given(st.data())
def test_rate(cast, things, data):
    valid = {"rating": st.sampled_from(["1", "3", "5"]), "acted_on": "on", "outcome": "We changed our prices."}
    with isolated():
        user = data.draw(st.sampled_from([cast.manager, cast.hr, cast.report_report]))
        post(user, reverse("networks:rate", args=[things["mine"].pk]), data.draw(payloads(valid)))


@settings(max_examples=35)
@given(st.data())
def test_feed_filter_and_export(cast, things, data):
    valid = {"q": "prices nordics", "kind": KINDS, "tag": "pricing", "team": str(cast.report.team_id),
             "acted_on": st.sampled_from(["yes", "no"]),
             "since": "2024-01-01", "until": TODAY, "page": "2"}  # fmt: skip
    with isolated():
        user, url = data.draw(
            st.sampled_from(
                [(cast.report, "networks:index"), (cast.hr, "networks:index"), (cast.hr, "networks:export")]
            )
        )
        get(user, reverse(url), data.draw(payloads(valid, ids=[cast.other.team_id])))


@settings(max_examples=40)
@given(st.data())
def test_spend(cast, things, data):
    """Spending linked to someone else's insight, out-of-range amounts and dates."""
    valid = {
        "spent_on": TODAY,
        "amount": st.sampled_from(["12.50", "0.01", "99999999.99"]),
        "what": st.sampled_from(["lunch", "conference", "event", "other"]),
        "note": "Coffee with a founder",
        "contributions": str(things["mine"].pk),
    }
    with isolated():
        payload = data.draw(payloads(valid, ids=[things["theirs"].pk, 0]))
        post(cast.report_report, reverse("networks:spend"), payload)


@settings(max_examples=35)
@given(st.data())
def test_budgets(cast, things, data):
    """The company default (one currency once spending is logged) and one person's budget."""
    policy = {"policy-yearly_budget": "1500.00", "policy-currency": st.sampled_from(["EUR", "usd"])}
    override = {"override-employee": st.sampled_from([cast.report.employee_number, cast.alumnus.user.email]),
                "override-year": "2026", "override-amount": "250.00"}  # fmt: skip
    with isolated():
        which = data.draw(st.sampled_from(["policy", "override"]))  # the submit button's name picks the form
        payload = data.draw(payloads(policy if which == "policy" else override)) | {which: "1"}
        post(cast.hr, reverse("networks:budgets"), payload)


@settings(max_examples=35)
@given(st.data())
def test_event(cast, things, data):
    valid = {
        "title": "Fintech meetup",
        "kind": st.sampled_from(["hosted", "attended"]),
        "date": TODAY,
        "place": "Berlin",
        "description": "",
        "attendees_text": st.sampled_from([f"{cast.report.employee_number}, {cast.other.user.email}", ""]),
        "outside_guests": "12",
        "learned": "",
    }
    url = st.sampled_from([reverse("networks:event_create"), reverse("networks:event_edit", args=[things["event"].pk])])
    with isolated():
        user = data.draw(st.sampled_from([cast.manager, cast.hr, cast.report]))
        post(user, data.draw(url), data.draw(payloads(valid)))


NAMES = ["detail", "edit", "delete", "rate", "event", "event_edit", "event_attend"]


@settings(max_examples=25)
@given(pk=st.one_of(huge_ids, st.just(-1)), name=st.sampled_from(NAMES))
def test_network_urls_with_hostile_ids(cast, things, pk, name):
    """A huge id is not found; the other team's HR-only insight is not found for a manager."""
    pk = things["theirs"].pk if pk == -1 else pk
    unknown = pk == things["theirs"].pk and not name.startswith("event") or pk > 10**6
    seen = (404,) if unknown else (200, 302, 403, 404)
    with isolated():
        get(cast.manager, reverse(f"networks:{name}", args=[pk]), allowed=(*seen, 405))
    if name in ("detail", "event"):
        return  # pages without a form
    with isolated():
        response = post(cast.manager, reverse(f"networks:{name}", args=[pk]), {"rating": "3", "title": "x"})
        assert response.status_code in seen
