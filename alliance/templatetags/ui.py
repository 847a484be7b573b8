"""The design system's template tags: icons, avatars and state badges (docs/design.md)."""

import re

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()

# name -> the SVG markup, read once per process: the icons never change while it runs.
_ICONS: dict[str, str] = {}
_NAME = re.compile(r"[a-z0-9-]+")


def _strict():
    """An unknown icon is a bug: it raises where someone will see it (DEBUG, the tests), renders nothing live."""
    return getattr(settings, "ICONS_STRICT", settings.DEBUG)


def icon_svg(name):
    """Bootstrap Icons' SVG for `name`, found through the staticfiles finders (so collectstatic ships it)."""
    if name in _ICONS:
        return _ICONS[name]
    path = finders.find(f"vendor/bootstrap-icons/{name}.svg") if _NAME.fullmatch(name or "") else None
    if path is None:
        if _strict():
            raise template.TemplateSyntaxError(f"Unknown icon {name!r}: no vendor/bootstrap-icons/{name}.svg")
        return ""
    with open(path, encoding="utf-8") as f:
        svg = f.read().strip()
    # Decorative: the text next to it says what it means. focusable=false keeps old engines from tabbing into it.
    svg = re.sub(r'\sclass="[^"]*"', "", svg, count=1)
    svg = svg.replace("<svg ", '<svg class="icon" aria-hidden="true" focusable="false" ', 1)
    _ICONS[name] = svg
    return svg


@register.simple_tag
def icon(name):
    """{% icon "people" %}: the icon inlined as SVG (no sprite, no font), sized and coloured by CSS (.icon)."""
    return mark_safe(icon_svg(name))  # noqa: S308 -- our own files from the installed package, not input
