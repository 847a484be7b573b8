"""docs/screenshots/make.py finds each role's page kinds by following links (the browser run itself is not tested)."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import resolve

from alliance.models import Employee
from tours.models import Tour

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "make.py"


@pytest.fixture(scope="module")
def make():
    spec = importlib.util.spec_from_file_location("screenshots_make", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def pages_of(client, demo_company, make):
    """pages_of("hr@example.com") is the script's page list for that demo sign-in, found with the test client."""

    def fetch(path):
        response = client.get(path)
        body = response.content.decode() if response["Content-Type"].startswith("text/html") else ""
        return response.status_code, response["Content-Type"], body, response.get("Location", "")

    def pages(email):
        client.force_login(Employee.objects.get(user__email=email).user)
        return dict(make.discover(fetch))

    return pages


def test_hr_is_shown_every_hr_page_kind(pages_of, make):
    pages = pages_of("hr@example.com")
    expected = {"dashboard", "people", "person", "person-form", "tours", "tour", "network-feed", "insight"}
    expected |= {"reports", "report-at-risk", "alumni-roster", "alumnus", "audit", "company", "notifications"}
    assert expected <= pages.keys()
    # Each file name is the page kind it claims to be, reached by a link (no hard-coded ids).
    kinds = {file: name for name, file in make.KINDS}
    assert {file: resolve(path).view_name for file, path in pages.items()} == {file: kinds[file] for file in pages}


def test_manager_and_employee_get_their_pages_and_an_agreed_tour_not_a_draft(pages_of):
    manager = pages_of("manager@example.com")
    assert {"dashboard", "tours", "tour", "check-in", "people", "person", "report-at-risk"} <= manager.keys()
    assert "audit" not in manager
    assert resolve(manager["check-in"]).view_name == "tours:check_in"
    employee = pages_of("employee@example.com")
    assert {"dashboard", "tours", "tour", "network-feed", "insight-form"} <= employee.keys()
    assert not {"audit", "people-import", "person-form", "alumni-roster"} & employee.keys()
    for pages in (manager, employee):
        assert Tour.objects.get(pk=resolve(pages["tour"]).kwargs["pk"]).state == Tour.State.AGREED


def test_the_alumna_gets_her_own_alumni_profile(pages_of):
    pages = pages_of("alumna@example.com")
    assert pages["alumni-profile"] == "/alumni/me/"
    assert not {"people", "tours", "audit"} & pages.keys()


def test_links_keeps_same_site_paths_without_query_strings(make):
    html = (
        '<a href="/tours/3/">t</a><a href="?page=2">p</a><a href="https://example.com/x">x</a>'
        '<a href="mailto:a@b.c">m</a><a href="/static/app.css">s</a><a href="../people/">up</a>'
    )
    assert list(make.links("/tours/", html)) == ["/tours/3/", "/people/"]


def test_compressed_size_never_exceeds_the_body(make):
    text = b"<p>hello</p>" * 200
    assert make.compressed_size(text) < len(text) / 10
    assert make.compressed_size(b"\x89PNG") == 4
