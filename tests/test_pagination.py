"""The long lists count only so far (alliance.pagination.CappedPaginator): past the cap the page says
"more than …", and the links, a page past the end and a nonsense page number still give a clear page."""

import re

import pytest
from django.urls import reverse

from alliance import pagination
from tests.factories import EmployeeFactory, make_tour


@pytest.fixture
def cap_30(monkeypatch):
    monkeypatch.setattr(pagination, "CAP", 30)


def page_label(response):
    return re.search(r"Page \d+( of \d+)?", response.content.decode())[0]


def test_directory_past_the_cap_says_more_than_and_still_pages(client_for, cast, cap_30):
    EmployeeFactory.create_batch(60, manager=cast.manager)
    client = client_for("hr")
    first = client.get(reverse("people:list"))
    html = first.content.decode()
    assert "More than 30 people" in html
    assert page_label(first) == "Page 1"  # no total: the count stopped at the cap
    assert 'page=2">Next</a>' in html and "Previous" not in html
    second = client.get(reverse("people:list"), {"page": "2"})
    assert 'page=1">Previous</a>' in second.content.decode() and 'page=3">Next</a>' in second.content.decode()
    names = [p.pk for p in first.context["page"]] + [p.pk for p in second.context["page"]]
    assert len(set(names)) == 50  # two full pages, no one twice


def test_last_page_and_a_page_past_the_end_show_the_exact_total(client_for, cast, cap_30):
    EmployeeFactory.create_batch(60, manager=cast.manager)
    client = client_for("hr")
    total = client.get(reverse("people:list"), {"status": "active", "page": "3"})  # the cap counts from page 3 on
    count = total.context["page"].paginator.count
    assert total.context["page"].paginator.more_than is None
    assert f"{count} people" in total.content.decode() and page_label(total) == "Page 3 of 3"
    assert "Next" not in total.content.decode()
    past = client.get(reverse("people:list"), {"page": "999"})
    assert past.status_code == 200 and page_label(past) == "Page 3 of 3"


@pytest.mark.parametrize("number", ["abc", "-1", "0", "2.5", "1" + "0" * 30])
def test_a_nonsense_page_number_gives_a_clear_page(client_for, cast, cap_30, number):
    EmployeeFactory.create_batch(60, manager=cast.manager)
    response = client_for("hr").get(reverse("people:list"), {"page": number})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 1


def test_below_the_cap_the_count_is_exact(client_for, cast):
    EmployeeFactory.create_batch(30, manager=cast.manager)
    response = client_for("hr").get(reverse("people:list"))
    count = response.context["page"].paginator.count
    assert count > 25 and f"{count} people" in response.content.decode()
    assert page_label(response) == "Page 1 of 2"


def test_tour_list_past_the_cap_pages_through_every_tour(client_for, cast, cap_30):
    tours = [make_tour(EmployeeFactory(manager=cast.manager), state="agreed") for _ in range(40)]
    client = client_for("manager")
    first = client.get(reverse("tours:index"))
    assert "More than 30 tours" in first.content.decode()
    second = client.get(reverse("tours:index"), {"page": "2"})
    assert ">Next</a>" not in second.content.decode()
    seen = {t.pk for t in first.context["page"]} | {t.pk for t in second.context["page"]}
    assert {t.pk for t in tours} <= seen
