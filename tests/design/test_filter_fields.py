"""Every filter field of every list renders, through alliance.filterfields, exactly the markup the
template include and Django's widget templates gave (whitespace between tags aside): unbound, filled in,
and with an error."""

import re

import pytest
from django.template import engines

import alliance.listfilters  # noqa: F401 -- every module that declares a filter form, so its subclasses are known
import alumni.reports  # noqa: F401
import networks.forms  # noqa: F401
import networks.reports  # noqa: F401
import tours.forms  # noqa: F401
import tours.reports  # noqa: F401
from alliance.filterfields import filter_field_html
from alliance.forms import FilterForm
from tests.factories import EmployeeFactory, TeamFactory

# templates/includes/filter_field.html as it was, rendered with Django's own widget templates.
TEMPLATE = """<div id="div_{{ field.auto_id }}" class="mb-3">
  <label for="{{ field.id_for_label }}" class="form-label">{{ field.label }}</label>
  {{ field }}
  {% if field.errors %}<div id="{{ field.auto_id }}_error" class="invalid-feedback">{% for error in field.errors %}\
<p><strong>{{ error }}</strong></p>{% endfor %}</div>{% endif %}
  {% if field.help_text %}<div id="{{ field.auto_id }}_helptext" class="form-text">{{ field.help_text }}</div>\
{% endif %}
</div>"""


def forms():
    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    return sorted(set(every(FilterForm)), key=lambda cls: cls.__qualname__)


def normal(html):
    return re.sub(r">\s+<", "><", html.strip())


def instances(cls, team, person, user):
    kwargs = {"dates": True} if "dates" in cls.__init__.__code__.co_varnames else {}
    if "user" in cls.__init__.__code__.co_varnames or "user" in FilterForm.__init__.__code__.co_varnames:
        kwargs["user"] = user  # person filters match only people the viewer may see
    yield cls(**kwargs)
    filled = {"q": 'Ada "<b>', "team": team.pk, "manager": person.employee_number, "type": "rotational"}
    yield cls({**filled, "since": "2026-01-01", "until": "2026-12-31"}, **kwargs)
    yield cls({"team": "not-a-team", "manager": "nobody <x>", "since": "31/31/2026", "days": "-4"}, **kwargs)


@pytest.mark.parametrize("form_class", forms(), ids=lambda cls: cls.__qualname__)
def test_filter_fields_render_as_django_renders_them(cast, form_class):
    team = TeamFactory(name="R&D <Labs>")
    person = EmployeeFactory(first_name="Zoë", last_name="O'Neil", team=team)
    template = engines["django"].from_string(TEMPLATE)
    checked = 0
    for form in instances(form_class, team, person, cast.hr.user):
        form.is_valid()
        for field in form:
            assert normal(filter_field_html(field)) == normal(template.render({"field": field})), field.name
            checked += 1
    assert checked >= 3


def test_every_list_with_filters_is_covered():
    names = {cls.__name__ for cls in forms()}
    assert {"ReportFilterForm", "TourFilterForm", "FeedFilterForm", "PeopleFilterForm", "AtRiskForm"} <= names
