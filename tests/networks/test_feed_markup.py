"""{% insight_card %} writes exactly what the included template networks/_item.html wrote (kept here), for
every kind of insight and reader: rated or not, acted on, tagged, hostile text, an alumna's plain tags."""

import re

import pytest
from django.template import engines
from django.urls import reverse

from networks.models import Contribution, Tag

OLD_ITEM = """{% load ui %}<article class="card mb-3">
  <div class="card-body">
    <h2 class="h5 card-title"><a href="{{ c.get_absolute_url }}">{{ c.title }}</a></h2>
    <p class="small text-body-secondary mb-2">{{ c.get_kind_display }} · {% person_link c.contributor %}\\
{% if c.contributor.team %} ({{ c.contributor.team }}){% endif %} · <time datetime="{{ c.created_at|date:'c' }}">\\
{{ c.created_at|date:"j M Y" }}</time> · {{ c.get_visibility_display }}</p>
    <p class="card-text prewrap">{{ c.insight|truncatewords:50 }}</p>
    <p class="mb-0">{% for t in c.tags.all %}{% if roles.alumnus %}<span class="badge text-bg-light border me-1">\\
{{ t.name }}</span>{% else %}<a class="badge text-bg-light border me-1" href="{% url 'networks:index' %}?tag=\\
{{ t.name|urlencode }}">{{ t.name }}</a>{% endif %}{% endfor %}
      {% if c.rating %}{% with r=c.rating|stringformat:"s" %}{% state_badge "rated" label="Rated "|add:r|add:"/5" %}\\
{% endwith %}{% else %}{% state_badge "not_rated" %}{% endif %}
      {% if c.acted_on %}{% state_badge "acted_on" %}{% endif %}</p>
  </div>
</article>
"""


def cards(html):
    return re.findall(r'<article class="card mb-3">.*?</article>', html, re.S)


def old_cards(response):
    template = engines["django"].from_string(OLD_ITEM.replace("\\\n", ""))
    context = response.context[0].flatten()
    return [template.render({**context, "c": c}, response.wsgi_request).strip() for c in context["page"].object_list]


@pytest.fixture
def insights(cast):
    long_text = " ".join(f"word{n}" for n in range(80)) + ' <script>alert("x")</script>'
    plain = Contribution.objects.create(
        contributor=cast.report, kind="market", title='Rivals <b>"cut"</b> prices', insight=long_text
    )
    plain.tags.add(Tag.objects.create(name="pricing & deals"), Tag.objects.create(name="ü/ß?x=1"))
    Contribution.objects.create(
        contributor=cast.other, kind="talent", title="A designer", insight="Ask me.", rating=4, acted_on=True
    )
    mine = Contribution.objects.create(contributor=cast.alumnus, kind="talent", title="From outside", insight="Hi")
    mine.tags.add(Tag.objects.create(name="alumni <3"))
    return plain


@pytest.mark.parametrize(("role", "page"), [("hr", "networks:index"), ("report", "networks:index"),
                                            ("manager", "networks:to_rate"), ("alumnus", "networks:mine")])  # fmt: skip
def test_insight_cards_are_the_templates_markup(client_for, insights, role, page):
    response = client_for(role).get(reverse(page))
    assert response.status_code == 200
    new = cards(response.text)
    assert new and new == old_cards(response)
    assert '<script>alert("x")' not in response.text
