"""Every API endpoint × every member of the cast, with their own token → the expected status, as the pages'
access matrix (tests/test_access_matrix.py) does for pages. The rules are the pages' (the same access helpers):
who may not see an object gets 404, exactly as for an id that does not exist."""

import pytest

from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def expect(default, **overrides):
    statuses = dict.fromkeys(ROLES, default)
    statuses["anonymous"] = 401
    statuses.update(overrides)
    return statuses


EVERYONE = expect(200)
EMPLOYEES = expect(200, alumnus=403)  # the tour list's audience: employees and HR
DIRECTORY = expect(403, hr=200, manager=200, report=200)  # HR and anyone with reports
SEES_TOUR = expect(404, hr=200, manager=200, report=200, report_report=200)
REPORTS = expect(403, hr=200, manager=200, report=200)

# (name, path from the world, expected statuses)
MATRIX = [
    ("people", lambda c, w: "/api/v1/people/", DIRECTORY),
    ("person", lambda c, w: f"/api/v1/people/{c.report_report.pk}/", SEES_TOUR),
    ("tours", lambda c, w: "/api/v1/tours/", EMPLOYEES),
    ("tour", lambda c, w: f"/api/v1/tours/{w['tour'].pk}/", SEES_TOUR),
    ("checkins", lambda c, w: "/api/v1/checkins/", EMPLOYEES),
    ("checkin", lambda c, w: f"/api/v1/checkins/{w['checkin'].pk}/", SEES_TOUR),
    ("insights", lambda c, w: "/api/v1/insights/", EVERYONE),
    ("insight", lambda c, w: f"/api/v1/insights/{w['insight'].pk}/", SEES_TOUR),
    ("alumni", lambda c, w: "/api/v1/alumni/", EVERYONE),
    ("listed alumna", lambda c, w: f"/api/v1/alumni/{w['listed'].pk}/", EVERYONE),
    ("unlisted alumnus", lambda c, w: f"/api/v1/alumni/{w['unlisted'].pk}/", expect(404, hr=200)),
    ("my alumni profile", lambda c, w: "/api/v1/alumni/me/", expect(403, alumnus=200)),
    ("reports", lambda c, w: "/api/v1/reports/", EVERYONE),
    ("coverage report", lambda c, w: "/api/v1/reports/tours-coverage/", REPORTS),
    ("schema", lambda c, w: "/api/v1/schema/?format=json", EVERYONE | {"anonymous": 200}),
]

CASES = [(name, url, role, statuses[role]) for name, url, statuses in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "url", "role", "status"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_each_role_gets_what_the_pages_give_it(api, cast, world, name, url, role, status):
    response = api.get(url(cast, world), as_=role)
    assert response.status_code == status, response.content[:300]
    if status == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


DETAILS = [
    ("person", "/api/v1/people/{}/", lambda c, w: c.report_report.pk),
    ("tour", "/api/v1/tours/{}/", lambda c, w: w["tour"].pk),
    ("checkin", "/api/v1/checkins/{}/", lambda c, w: w["checkin"].pk),
    ("insight", "/api/v1/insights/{}/", lambda c, w: w["insight"].pk),
    ("alumnus", "/api/v1/alumni/{}/", lambda c, w: w["unlisted"].pk),
]


@pytest.mark.parametrize(("name", "pattern", "pk"), DETAILS, ids=[d[0] for d in DETAILS])
def test_a_forbidden_id_and_an_unknown_one_answer_alike(api, cast, world, name, pattern, pk):
    forbidden = api.get(pattern.format(pk(cast, world)), as_="other")
    unknown = api.get(pattern.format(987654321), as_="other")
    assert forbidden.status_code == unknown.status_code == 404
    assert forbidden.json() == unknown.json()
    assert api.get(pattern.format("9" * 40), as_="hr").status_code == 404  # not a 500 from an overflowing id


def test_an_employee_opening_their_own_manager_gets_the_card_only(api, cast):
    data = api.get(f"/api/v1/people/{cast.manager.pk}/", as_="report").json()
    assert set(data) == {"id", "name", "first_name", "last_name", "job_title", "team", "email"}
    full = api.get(f"/api/v1/people/{cast.manager.pk}/", as_="hr").json()
    assert full["employee_number"] == cast.manager.employee_number


def test_a_manager_lists_their_whole_subtree_and_no_one_else(api, cast):
    names = {p["name"] for p in api.get("/api/v1/people/", as_="manager").json()["results"]}
    assert names == {cast.manager.full_name, cast.report.full_name, cast.report_report.full_name}


def test_the_directory_shows_only_what_each_alumnus_chose(api, cast, world):
    profile = world["listed"]
    profile.personal_email, profile.show_personal_email = "alma@home.example", False
    profile.profile_url, profile.show_profile_url = "https://example.com/alma", True
    profile.save()
    entry = api.get(f"/api/v1/alumni/{profile.pk}/", as_="other").json()
    assert entry["personal_email"] is None and entry["profile_url"] == "https://example.com/alma"
    assert "email" not in entry and "tier" not in entry
    assert api.get(f"/api/v1/alumni/{profile.pk}/", as_="hr").json()["personal_email"] == "alma@home.example"


def test_a_report_is_the_pages_figures(api, cast, world, client):
    data = api.get("/api/v1/reports/tours-coverage/", as_="hr").json()
    client.force_login(cast.hr.user)
    page = client.get("/tours/reports/coverage/?format=csv")
    csv_rows = [line.split(",") for line in b"".join(page.streaming_content).decode().splitlines()]
    assert data["columns"] == csv_rows[0]
    assert [[str(cell) for cell in row] for row in data["rows"]] == [[c.strip('"') for c in r] for r in csv_rows[1:]]


def test_a_report_narrowed_to_a_small_group_shows_no_figures_to_a_manager(api, cast):
    response = api.get("/api/v1/reports/tours-coverage/", as_="manager", data={"manager": cast.report.employee_number})
    assert response.status_code == 400
    assert "fewer than 5 people" in response.json()["non_field_errors"][0]
