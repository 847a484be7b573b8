"""The design system's base: Bootstrap and its icons from npm, served locally, icons inlined as SVG."""

import json

import pytest
from django.core.management import call_command
from django.template import Context, Template, TemplateSyntaxError


def test_bootstrap_css_js_are_served_from_the_npm_package(client, db):
    css = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert css.status_code == 200
    assert b"Bootstrap  v5.3.8" in b"".join(css.streaming_content)[:200]
    assert client.get("/static/vendor/bootstrap/js/bootstrap.bundle.min.js").status_code == 200


def test_sign_in_page_links_the_local_bootstrap_and_no_cdn(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_icon_tag_inlines_a_decorative_svg():
    html = Template('{% load ui %}{% icon "people" %}').render(Context())
    assert html.startswith('<svg class="icon" aria-hidden="true" focusable="false" ')
    assert "bi-people" not in html and "<path" in html


def test_an_unknown_icon_raises_in_tests_and_debug():
    with pytest.raises(TemplateSyntaxError, match="no-such-icon"):
        Template('{% load ui %}{% icon "no-such-icon" %}').render(Context())
    with pytest.raises(TemplateSyntaxError):
        Template('{% load ui %}{% icon "../secret" %}').render(Context())


def test_an_unknown_icon_renders_nothing_in_production(settings):
    settings.ICONS_STRICT = False
    assert Template('{% load ui %}{% icon "no-such-icon" %}').render(Context()) == ""


def test_collectstatic_ships_only_the_files_the_pages_use(tmp_path, settings):
    """Of the npm packages only Bootstrap's compiled CSS and JS (and their maps) are collected; no icon SVG,
    no Sass source, no other Bootstrap build; of the API docs' packages only the Swagger UI files the docs page
    loads. Every file a page links is among them, and every file they reference: the manifest storage (as in
    production, less the compression) fails on a reference to a file that was not collected."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]  # original name → hashed copy
    vendor = sorted(name for name in collected if name.startswith("vendor/"))
    assert vendor == [
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/css/bootstrap.min.css.map",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap/js/bootstrap.bundle.min.js.map",
    ]
    assert sorted(name for name in collected if name.startswith("drf_spectacular_sidecar/")) == [
        f"drf_spectacular_sidecar/swagger-ui-dist/{name}"
        for name in ["favicon-32x32.png", "swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui.css.map"]
    ]
    assert not [name for name in collected if name.startswith("rest_framework/")]  # the API renders JSON only
    assert not list(tmp_path.rglob("*.svg")) or all(
        "admin" in str(p) or "img" in p.parts for p in tmp_path.rglob("*.svg")
    )
    total = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert total < 10 * 1024 * 1024  # was 59 MB with the packages' folders as STATICFILES_DIRS


def test_a_file_of_the_packages_not_listed_is_not_served(client, db):
    assert client.get("/static/vendor/bootstrap/css/bootstrap.css").status_code == 404
    assert client.get("/static/vendor/bootstrap-icons/people.svg").status_code == 404
