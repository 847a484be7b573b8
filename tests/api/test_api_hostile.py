"""Hostile input to every API endpoint: huge and NUL-laden strings, impossible dates and ids, wrong types, broken
JSON. The answer is a 400 (or 404 for an id in the path), never a 500."""

import base64

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = ["x" * 100_000, "a\x00b", "2026-02-30", -1, 2**70, 1.5, [], {}, None, True, "<script>alert(1)</script>"]
HOSTILE += ["²"]  # a digit to str.isdigit(), not to int()


def bodies(base):
    """The base body with each field in turn replaced by each hostile value, plus the whole body replaced."""
    for field in base:
        for value in HOSTILE:
            yield base | {field: value}
    yield from ([], "text", 12, None)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(
    "path",
    ["/api/v1/people/", "/api/v1/tours/", "/api/v1/checkins/", "/api/v1/insights/", "/api/v1/alumni/"]
    + ["/api/v1/reports/tours-checkins/", "/api/v1/reports/networks/"],
)
def test_hostile_filters_are_refused_or_ignored(api, cast, path, value):
    params = {k: value if not isinstance(value, list | dict) else str(value) for k in ("q", "team", "manager")}
    params |= {"cursor": str(value), "page_size": str(value), "tour": str(value), "since": str(value), "state": "x"}
    response = api.get(path, as_="hr", data={k: str(v) for k, v in params.items()})
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("position", ["abc", "1\x002", "1.5", "-3", "9" * 40, "", "²"])
@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/tours/", "/api/v1/checkins/", "/api/v1/alumni/"])
def test_a_forged_cursor_is_not_found(api, cast, world, path, position):
    """A cursor is base64 of a query string anyone can write: a position that is not an id is an invalid cursor."""
    for query in (f"p={position}", f"r=1&p={position}", f"o=5&p={position}"):
        cursor = base64.urlsafe_b64encode(query.encode()).decode()
        response = api.get(path, as_="hr", data={"cursor": cursor})
        assert response.status_code in (200, 404), (query, response.status_code)


def test_hostile_writes_never_fail_with_a_500(api, cast, world, settings):
    """Each field of each write in turn gets each hostile value (some, like a script in a title, are valid text and
    are saved, escaped wherever shown); the others are refused with a 400."""
    settings.API_RATES = {"read": "10000/minute", "write": "10000/minute"}  # this test sends ~150 writes
    tour = world["tour"]
    objective = tour.agreed_revision.objectives.first()
    checkin = {
        "tour": tour.pk,
        "other_side_keeping": "yes",
        "note": "",
        "progress": [{"objective": objective.pk, "status": "on_track"}],
    }
    draft = {
        "employee": cast.report_report.pk,
        "type": "foundational",
        "title": "T",
        "mission": "M",
        "company_gets": "C",
        "employee_gets": "E",
        "start_date": "2027-01-01",
        "objectives": [{"side": "employee", "description": "D"}],
    }
    profile = {"location": "Oslo", "personal_email": "a@example.com", "listed": True}
    problems = []
    for path, base, who, method in [
        ("/api/v1/checkins/", checkin, "report", api.post),
        ("/api/v1/tours/", draft, "report", api.post),
        ("/api/v1/alumni/me/", profile, "alumnus", api.patch),
    ]:
        for body in bodies(base):
            response = method(path, body, as_=who)
            if response.status_code >= 500:
                problems.append(f"{path} {str(body)[:120]}: {response.status_code}")
    headers = api.headers("report")
    broken = api.client.post("/api/v1/tours/", "{not json", content_type="application/json", headers=headers)
    assert broken.status_code == 400
    assert not problems, "\n".join(problems)
