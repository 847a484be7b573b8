"""The design system's base: Bootstrap and its icons from npm, served locally, icons inlined as SVG."""

import pytest
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
