"""The design system's template tags: icons, avatars and state badges (docs/design.md)."""

import datetime
import functools
import re
from pathlib import Path

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from alliance import access
from alliance.filterfields import filter_field_html
from alliance.markup import escape
from alliance.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=""):
    """`{{ amount|money:policy.currency }}`: the one format for money (alliance.money)."""
    return format_money(amount, currency)


@register.simple_tag
def asset(path):
    """`{% asset "css/base.css" %}`: `{% static %}` for the layout's own files (base.html, on every page), looked
    up once per process: sixteen lookups in the manifest were 4% of a list page's CPU. Keyed by the storage
    settings, which tests change."""
    return _asset(path, settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"])


@functools.lru_cache(maxsize=64)
def _asset(path, *storage):
    return static(path)


@register.simple_tag
def route(name):
    """`{% route "tours:index" %}`: `{% url %}` for the layout's links without arguments (base.html, on every page),
    reversed once per process. Keyed by what reverse() reads: the URLconf and the script prefix."""
    return _route(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _route(name, urlconf, prefix):
    return reverse(name, urlconf=urlconf)


# name -> the SVG markup, read once per process: the icons never change while it runs.
_ICONS: dict[str, str] = {}
_NAME = re.compile(r"[a-z0-9-]+")


def _strict():
    """An unknown icon is a bug: it raises where someone will see it (DEBUG, the tests), renders nothing live."""
    return getattr(settings, "ICONS_STRICT", settings.DEBUG)


def icon_svg(name):
    """Bootstrap Icons' SVG for `name`, read from the installed package (ICONS_DIR): inlined, never served."""
    if name in _ICONS:
        return _ICONS[name]
    path = Path(settings.ICONS_DIR) / f"{name}.svg" if _NAME.fullmatch(name or "") else None
    if path is None or not path.is_file():
        if _strict():
            raise template.TemplateSyntaxError(f"Unknown icon {name!r}: no {name}.svg in {settings.ICONS_DIR}")
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


# Every state the product shows, with one label, one icon and one tone (docs/design.md "Status colours").
# The tone is the colour: a CSS class `state-<tone>` (static/css/badges.css); the label says it in words.
STATES = {
    # Tours of duty
    "draft": ("Draft", "pencil", "neutral"),
    "proposed": ("Proposed", "send", "caution"),
    "agreed": ("Agreed", "check2-circle", "info"),
    "in_force": ("In force", "shield-check", "success"),
    "ending_soon": ("Ending soon", "hourglass-split", "warning"),
    "at_risk": ("At risk", "exclamation-triangle", "danger"),
    "ended": ("Ended", "flag", "muted"),
    "amendment": ("Amendment pending", "pencil-square", "caution"),
    # Check-ins (due dates) and objectives
    "done": ("Done", "check-circle", "success"),
    "due": ("Due", "clock", "caution"),
    "overdue": ("Overdue", "exclamation-circle", "danger"),
    "upcoming": ("Upcoming", "calendar", "neutral"),
    "on_track": ("On track", "arrow-up-right-circle", "success"),
    "missed": ("Missed", "x-circle", "muted"),
    # Network intelligence
    "not_rated": ("Not rated yet", "hourglass", "neutral"),
    "rated": ("Rated", "star", "info"),
    "acted_on": ("Acted on", "lightning-charge", "success"),
    # Alumni freshness
    "fresh": ("Up to date", "check-circle", "success"),
    "stale": ("Stale", "clock-history", "warning"),
}


def tour_state(tour, today=None):
    """A tour's state as people speak of it, from its own fields (no query): an agreed tour is *in force*
    once started and *ending soon* from its next-tour conversation date. *At risk* needs the successor,
    so the pages that know it (the at-risk report, the dashboard) pass "at_risk" themselves."""
    state = tour.state
    if state in ("completed", "ended_early"):
        return "ended"
    if state != "agreed":
        return state
    today = today or timezone.localdate()
    if tour.start_date > today:
        return "agreed"
    if tour.next_tour_on is not None and tour.next_tour_on <= today:
        return "ending_soon"
    return "in_force"


@functools.lru_cache(maxsize=256)
def _badge(key, label):
    default_label, icon_name, tone = STATES[key]
    return (
        f'<span class="state state-{tone}" data-state="{key}">{icon_svg(icon_name)}{escape(label or default_label)}'
        "</span>"
    )


def state_badge_html(subject, label=None):
    """The badge's markup for a tour (its state as people speak of it) or a state key; cached per state and
    label (a list shows the same few dozens of times)."""
    if hasattr(subject, "state") and hasattr(subject, "start_date"):
        key = tour_state(subject)
        label = label or (subject.get_state_display() if key == "ended" else None)
    else:
        key = str(subject)
    return _badge(key, None if label is None else str(label))


@register.simple_tag
def state_badge(subject, label=None):
    """{% state_badge tour %} or {% state_badge "overdue" %} (optionally label="Rated 4/5"): the one badge
    for a state, on every page, legend and chart that shows one. Built as a string, not an included
    template: lists show dozens, and a template per badge was a third of a list page's rendering."""
    return mark_safe(state_badge_html(subject, label))  # noqa: S308 -- escaped in _badge


AVATAR_COLOURS = 8


def avatar_html(person, size=""):
    """Initials on a colour chosen by the id (avatar-0..7), drawn by the server; decorative, since the name
    always stands next to it. A plain string (escaped here): list rows call it 50 times a page."""
    initials = f"{(person.first_name or ' ')[0]}{(person.last_name or ' ')[0]}".strip().upper() or "?"
    sized = f" avatar-{size}" if size else ""
    return (
        f'<span class="avatar avatar-{person.pk % AVATAR_COLOURS}{sized}" data-initials="{escape(initials)}"'
        ' aria-hidden="true"></span>'
    )


@register.simple_tag
def avatar(person, size=""):
    """{% avatar person %} or {% avatar person "lg" %}."""
    return mark_safe(avatar_html(person, size))  # noqa: S308 -- built from escaped values above


def person_link_html(user, person, size="sm", in_scope=False):
    """Avatar and name, the name a link where the viewer may open the page (access.may_open_person: no
    query). `in_scope=True` on lists already filtered by visible_to(). Escaped here; the caller marks it safe."""
    name = escape(person.full_name)
    if access.may_open_person(user, person, in_scope=in_scope):
        name = f'<a href="{person.get_absolute_url()}">{name}</a>'
    return f'<span class="person-link">{avatar_html(person, size)}{name}</span>'


@register.simple_tag(takes_context=True)
def person_link(context, person, size="sm", in_scope=False):
    """{% person_link person %}: see person_link_html."""
    return mark_safe(person_link_html(context["request"].user, person, size, in_scope))  # noqa: S308


@register.inclusion_tag("includes/manager_chain.html", takes_context=True)
def manager_chain(context, person, current=True):
    """The reporting line as breadcrumbs, top manager first, ending at `person` (current=True: this is
    their page). One query at most (Employee.chain_of_command); links only where the viewer may open them."""
    user = context["request"].user
    me = access.current_employee(user)
    chain = list(reversed(person.chain_of_command()))
    # On the viewer's own line, everyone below them leads to `person`, so is in their subtree.
    below_me = me is not None and any(boss.pk == me.pk for boss in chain)
    crumbs, past_me = [], False
    for boss in chain:
        in_scope = below_me and past_me
        crumbs.append((boss, access.may_open_person(user, boss, in_scope=in_scope)))
        past_me = past_me or (me is not None and boss.pk == me.pk)
    person_linked = not current and access.may_open_person(user, person, in_scope=below_me)
    return {"crumbs": crumbs, "person": person, "current": current, "person_linked": person_linked}


@register.simple_tag
def filter_field(field):
    """{% filter_field form.team %}: one filter of a list page, label to help text (alliance.filterfields)."""
    return filter_field_html(field)


@register.filter
def active_filters(form):
    """How many filters a filter form has set (the page number is not one); an error counts, so the
    folded filters open on a phone whenever one is set or wrong."""
    if not form.is_bound:
        return 0
    count = sum(1 for key, value in form.data.items() if key != "page" and str(value).strip())
    return count or (1 if form.errors else 0)


@register.filter
def percent_of(part, whole):
    """{{ covered|percent_of:total }}: a whole percentage, 0 when there is nothing to divide by."""
    try:
        return round(100 * part / whole) if whole else 0
    except TypeError:
        return 0


@register.filter
def meter_width(value):
    """The class giving a CSS bar its width (static/css/cards.css: w-pct-0 … w-pct-100, steps of 5) from a
    percentage, as a number or as the reports format it ("64%"); no inline style under the CSP."""
    try:
        number = float(str(value).rstrip("%"))
    except ValueError:
        number = 0
    return f"w-pct-{max(0, min(100, 5 * round(number / 5)))}"


# The tones of check-in states, for the marks on a tour's track.
_DUE_TONES = {"done": "success", "overdue": "danger", "due": "caution", "upcoming": "neutral"}


def _track_position(day, start, span):
    """Where a day falls on the track, in steps of 2% (static/css/timeline.css has .at-0 … .at-100)."""
    return 2 * round(50 * max(0.0, min(1.0, (day - start).days / span)))


@register.simple_tag
def tour_track(tour, timeline):
    """{% tour_track tour timeline as track %}: the tour's life as dated marks on a line (start, each
    check-in due date, the next-tour conversation, today, the end), from data the page already has.
    An open-ended tour's line runs to a year past today."""
    today = timezone.localdate()
    start = tour.start_date
    ended = tour.state in ("completed", "ended_early") and tour.ended_on
    finish = tour.ended_on if ended else tour.end_date
    last = finish or max(today, start) + datetime.timedelta(days=365)
    span = (last - start).days or 1
    marks = [{"what": "Start", "day": start, "tone": "info"}]
    for due in timeline:
        label = STATES[due.state][0]
        marks.append(
            {"what": f"Check-in: {label.lower()}", "day": due.due_on, "tone": _DUE_TONES[due.state], "minor": True}
        )
    if tour.next_tour_on and not ended:
        marks.append({"what": "Next-tour conversation", "day": tour.next_tour_on, "tone": "warning", "above": True})
    if not ended and start <= today <= last:
        marks.append({"what": "Today", "day": today, "tone": "today", "above": True})
    if ended:
        marks.append({"what": "Ended", "day": finish, "tone": "muted"})
    elif finish:
        marks.append({"what": "Ends", "day": finish, "tone": "muted"})
    else:
        marks.append({"what": "Open-ended", "day": None, "tone": "muted"})
    marks.sort(key=lambda m: (m["day"] or datetime.date.max, m["what"] == "Today"))
    for mark in marks:
        mark["at"] = _track_position(mark["day"], start, span) if mark["day"] else 100
        mark["edge"] = "edge-start" if mark["at"] <= 8 else "edge-end" if mark["at"] >= 92 else ""
    elapsed = _track_position(min(today, last), start, span) if today > start else 0
    return {"marks": marks, "elapsed": elapsed}


@register.simple_tag
def objective_status(timeline, objective):
    """The latest check-in status of one objective, as a state key (on_track, at_risk, done, missed), and
    who gave it: (key, side, due_on) or None. Matched by id, or by its words when an amendment re-wrote
    the list (each revision holds its own copy of the objectives)."""
    latest = None
    for due in timeline:
        for checkin in due.checkins.values():
            for progress in checkin.progress.all():
                same = progress.objective_id == objective.pk or progress.objective.description == objective.description
                if same and (latest is None or due.due_on >= latest[2]):
                    latest = (progress.status, checkin.get_side_display(), due.due_on)
    return latest


@register.simple_tag
def signature_for(terms, role):
    """{% signature_for terms "employee" as s %}: that party's signature on this revision, from the
    prefetched signatures (no query), or None."""
    return next((s for s in terms.signatures.all() if s.role == role), None)


# Reports whose chart counts one state: its bars take that state's colour and the legend its badge.
REPORT_STATES = {
    "tours:report_at_risk": "at_risk",
    "tours:report_checkins": "overdue",
    "tours:report_outcomes": "ended",
}


@register.filter
def report_state(resolver_match):
    """{{ request.resolver_match|report_state }}: the state a report's chart counts, or ""."""
    return REPORT_STATES.get(getattr(resolver_match, "view_name", ""), "")


@register.filter
def state_tone(key):
    """The tone (colour) of a state key, for bars and marks: "danger" for "at_risk"."""
    return STATES[key][2] if key in STATES else ""
