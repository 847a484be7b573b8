"""Hostile query strings on every report, as a page and as its CSV (`?format=csv`)."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from networks.models import Contribution
from tests.factories import make_tour
from tests.fuzz.hostile import get, isolated, payloads

TYPES = st.sampled_from(["rotational", "transformational", "foundational"])
# report URL name -> the filters it takes beyond team and manager
REPORTS = {
    "tours:report_at_risk": {"days": "90", "type": TYPES},
    "tours:report_coverage": {},
    "tours:report_checkins": {},
    "tours:report_outcomes": {"since": "2024-01-01", "until": "2026-12-31", "type": TYPES},
    "networks:report": {"since": "2024-01-01", "until": "2026-12-31"},
    "alumni:report": {},
}


@pytest.fixture
def figures(cast):
    """Something to count: an agreed tour ending soon, a draft, an insight."""
    start = datetime.date.today() - datetime.timedelta(days=300)
    make_tour(cast.report_report, state="agreed", start=start, end=start + datetime.timedelta(days=330))
    make_tour(cast.report)
    Contribution.objects.create(contributor=cast.report_report, kind="market", title="t", insight="i")


@settings(max_examples=100)
@given(st.data())
def test_reports(cast, figures, data):
    name = data.draw(st.sampled_from(sorted(REPORTS)))
    valid = {"team": str(cast.report.team_id), "manager": cast.report.employee_number, **REPORTS[name]}
    valid["format"] = st.sampled_from(["csv", "html"])
    with isolated():
        user = data.draw(st.sampled_from([cast.hr, cast.manager]))
        query = data.draw(payloads(valid, ids=[cast.other.team_id, 0]))
        response = get(user, reverse(name), query)
        if query.get("format") == "csv":
            assert response["Content-Type"].startswith("text/csv")


@settings(max_examples=15)
@given(st.data())
def test_reports_refused_to_employees(cast, figures, data):
    """Employees and alumni are refused whatever the query string."""
    name = data.draw(st.sampled_from(sorted(REPORTS)))
    with isolated():
        user = data.draw(st.sampled_from([cast.report_report, cast.alumnus, cast.other]))
        query = data.draw(payloads({"team": str(cast.report.team_id), "format": "csv"}))
        get(user, reverse(name), query, allowed=(403,))
