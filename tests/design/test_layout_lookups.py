"""{% route %} and {% asset %}: the layout's URLs and static files, looked up once per process, are exactly what
{% url %} and {% static %} give, under another script prefix or static storage too."""

import re

from django.template import engines
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse, set_script_prefix

BASE = "templates/base.html"


def render(text):
    return engines["django"].from_string("{% load ui %}" + text).render({})


def names_in_layout():
    with open(BASE, encoding="utf-8") as f:
        layout = f.read()
    return re.findall(r"{% route '([a-z_:]+)' %}", layout), re.findall(r"{% asset '([^']+)' %}", layout)


def test_every_layout_link_and_asset_is_what_url_and_static_give():
    routes, assets = names_in_layout()
    assert len(routes) >= 10 and len(assets) >= 5
    for name in routes:
        assert render(f"{{% route '{name}' %}}") == reverse(name)
    for path in assets:
        assert render(f"{{% asset '{path}' %}}") == static(path)


def test_another_script_prefix_or_static_url_gives_other_urls():
    try:
        set_script_prefix("/alliance/")
        assert render("{% route 'tours:index' %}") == "/alliance/tours/" == reverse("tours:index")
    finally:
        set_script_prefix("/")
    assert render("{% route 'tours:index' %}") == "/tours/"
    with override_settings(STATIC_URL="/assets/"):
        assert render("{% asset 'css/base.css' %}") == "/assets/css/base.css"
    assert render("{% asset 'css/base.css' %}") == static("css/base.css")
