"""The design system's specimen page (docs/design.md): every component, rendered by the real templates."""

import datetime
from types import SimpleNamespace

from django.shortcuts import render
from django.utils import timezone

from alliance import access
from alliance.templatetags.ui import AVATAR_COLOURS, STATES


@access.require("hr")
def design_specimen(request):
    """HR only (others 403): the palette, type, spacing and every component, on made-up data."""
    today = timezone.localdate()
    names = [("Elena", "Haddad"), ("Marcus", "Reed"), ("Zoe", "Moreno"), ("Farid", "Yilmaz")]
    # Made-up people whose ids walk through the avatar colours; never saved, never linked.
    people = [SimpleNamespace(pk=n, first_name=first, last_name=last) for n, (first, last) in enumerate(names * 2)]
    start = today - datetime.timedelta(days=400)
    tour = SimpleNamespace(
        state="agreed",
        start_date=start,
        end_date=start + datetime.timedelta(days=1095),
        next_tour_on=start + datetime.timedelta(days=876),
        ended_on=None,
    )
    due_states = ["done", "done", "done", "overdue", "upcoming"]
    timeline = [
        SimpleNamespace(due_on=start + datetime.timedelta(days=91 * (n + 1)), state=state)
        for n, state in enumerate(due_states)
    ]
    context = {
        "states": [(key, *value) for key, value in STATES.items()],
        "people": people[:AVATAR_COLOURS],
        "tour": tour,
        "timeline": timeline,
        "tones": ["neutral", "info", "caution", "warning", "success", "danger", "muted"],
        "type_scale": ["3xl", "2xl", "xl", "lg", "md", "sm", "xs"],
        "spaces": [1, 2, 3, 4, 5],
    }
    return render(request, "design/specimen.html", context)
