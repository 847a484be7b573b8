"""The REST API's tests: real tokens (alliance.tokens.issue) sent as `Authorization: Bearer …`."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from alliance import tokens
from alumni.models import AlumniProfile
from networks.models import Contribution
from tests.factories import EmployeeFactory, make_tour
from tours import services
from tours.timeline import open_due_dates


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the (local-memory) cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


class Api:
    """api.get("/api/v1/tours/", as_="manager") sends a token of that member of the cast."""

    def __init__(self, client, cast):
        self.client, self.cast, self.raw = client, cast, {}

    def token(self, role, scopes=("read", "write")):
        key = (role, tuple(scopes))
        if key not in self.raw:
            _, self.raw[key] = tokens.issue(getattr(self.cast, role).user, name=f"{role} tests", scopes=list(scopes))
        return self.raw[key]

    def headers(self, role, scopes=("read", "write")):
        return {} if role == "anonymous" else {"Authorization": f"Bearer {self.token(role, scopes)}"}

    def get(self, path, as_, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers(as_), **headers})

    def post(self, path, body, as_, scopes=("read", "write")):
        return self.client.post(path, body, content_type="application/json", headers=self.headers(as_, scopes))

    def patch(self, path, body, as_):
        return self.client.patch(path, body, content_type="application/json", headers=self.headers(as_))


@pytest.fixture
def api(client, cast):
    return Api(client, cast)


@pytest.fixture
def world(cast):
    """Report_report's agreed tour (report is their manager) with their own check-in; an insight of theirs for
    managers and HR; the alumna listed in the directory, and an unlisted alumnus."""
    start = timezone.localdate() - datetime.timedelta(days=100)
    tour = make_tour(cast.report_report, state="agreed", start=start)
    objective = tour.agreed_revision.objectives.first()
    due = open_due_dates(tour, "employee")[0]
    checkin = services.tour_check_in(
        tour=tour,
        user=cast.report_report.user,
        due_on=due,
        other_side_keeping="yes",
        note="Going well",
        progress=[(o, "on_track", "") for o in tour.agreed_revision.objectives.all()],
    )
    insight = Contribution.objects.create(
        contributor=cast.report_report, kind="market", title="Price cut", insight="They cut it", visibility="managers"
    )
    listed = cast.alumnus.alumni_profile
    listed.listed = True
    listed.save()
    unlisted_person = EmployeeFactory(departure_date=timezone.localdate() - datetime.timedelta(days=10))
    unlisted = AlumniProfile.objects.create(employee=unlisted_person, joined_at=timezone.now())
    return {"tour": tour, "objective": objective, "checkin": checkin, "insight": insight, "listed": listed,
            "unlisted": unlisted}  # fmt: skip
