"""An insight as the feed, "mine" and "to rate" lists show it, built as one string: {% insight_card c %}.

It was an included template per insight (a person link, a team, two date formats, a truncated text, a link
per tag, two badges): about 0.6 ms an insight, two thirds of the feed's CPU. The markup is the template's
(tests/networks/test_feed_markup.py compares the two)."""

from urllib.parse import quote

from django import template
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from alliance.paths import plain_path
from alliance.templatetags.ui import person_link_html, state_badge_html

register = template.Library()


def _tags(contribution, plain):
    if plain:  # alumni have no feed to filter: their tags are plain labels
        return "".join(
            f'<span class="badge text-bg-light border me-1">{escape(t.name)}</span>' for t in contribution.tags.all()
        )
    feed = plain_path("networks:index")
    return "".join(
        f'<a class="badge text-bg-light border me-1" href="{feed}?tag={escape(quote(t.name))}">{escape(t.name)}</a>'
        for t in contribution.tags.all()
    )


@register.simple_tag(takes_context=True)
def insight_card(context, c):
    request = context["request"]
    team = f" ({escape(c.contributor.team)})" if c.contributor.team else ""
    created = timezone.localtime(c.created_at)
    rating = state_badge_html("rated", f"Rated {c.rating}/5") if c.rating else state_badge_html("not_rated")
    acted = state_badge_html("acted_on") if c.acted_on else ""
    return mark_safe(  # noqa: S308 -- every value is escaped above or by the helpers
        '<article class="card mb-3">\n  <div class="card-body">\n'
        f'    <h2 class="h5 card-title"><a href="{c.get_absolute_url()}">{escape(c.title)}</a></h2>\n'
        f'    <p class="small text-body-secondary mb-2">{escape(c.get_kind_display())} · '
        f"{person_link_html(request.user, c.contributor)}{team} · "
        f'<time datetime="{formats.date_format(created, "c")}">{formats.date_format(created, "j M Y")}</time> · '
        f"{escape(c.get_visibility_display())}</p>\n"
        f'    <p class="card-text prewrap">{escape(Truncator(c.insight).words(50, truncate=" …"))}</p>\n'
        f'    <p class="mb-0">{_tags(c, request.roles.alumnus)}\n      {rating}\n      {acted}</p>\n'
        "  </div>\n</article>\n"
    )
