"""The tour list's rows as one string: {% tour_rows page.object_list %} (see alliance/templatetags/rows.py
for why: the template language cost about 0.3 ms a row, over half of the page's CPU)."""

import functools

from django import template
from django.utils.dateformat import format as format_date
from django.utils.safestring import mark_safe

from alliance.markup import escape
from alliance.templatetags.ui import person_link_html, state_badge_html

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _day(day):
    """A date as the pages write it ("3 Dec 2026"), the `date:"j M Y"` filter's format."""
    return format_date(day, "j M Y")


@register.simple_tag(takes_context=True)
def tour_rows(context, tours):
    user = context["request"].user
    rows = []
    for tour in tours:
        employee = tour.employee
        team = f'<br><small class="text-body-secondary">{escape(employee.team)}</small>' if employee.team_id else ""
        badges = state_badge_html(tour) + (f" {state_badge_html('amendment')}" if tour.amendment_pending else "")
        manager = person_link_html(user, employee.manager, in_scope=True) if employee.manager_id else "—"
        end = _day(tour.end_date) if tour.end_date else "open-ended"
        rows.append(
            "<tr>"
            f'<td data-label="Tour"><a href="{tour.get_absolute_url()}">{escape(tour.title)}</a></td>'
            f'<td data-label="Employee">{person_link_html(user, employee, in_scope=True)}{team}</td>'
            f'<td data-label="Type">{escape(tour.get_type_display())}</td>'
            f'<td data-label="State">{badges}</td>'
            f'<td data-label="Term">{_day(tour.start_date)} – {end}</td>'
            f'<td data-label="Manager">{manager}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 -- every value above is escaped
