"""Lists at phone width: filters fold behind a button unless one is set or wrong; rows stack as cards."""

from django.urls import reverse

from tests.factories import make_tour


def test_tour_filters_fold_when_none_is_set(client_for, cast):
    html = client_for("manager").get(reverse("tours:index")).content.decode()
    assert 'data-bs-target="#tour-filters" aria-expanded="false"' in html
    assert 'class="collapse filters-collapse" id="tour-filters"' in html


def test_tour_filters_stay_open_when_one_is_set(client_for, cast):
    html = client_for("manager").get(reverse("tours:index") + "?state=agreed&page=1").content.decode()
    assert 'aria-expanded="true"' in html and "· 1 set" in html
    assert 'class="collapse filters-collapse show" id="tour-filters"' in html


def test_tour_filters_stay_open_on_an_error(client_for, cast):
    response = client_for("manager").get(reverse("tours:index") + "?ending_within=soon")
    assert response.status_code == 200
    assert 'class="collapse filters-collapse show" id="tour-filters"' in response.content.decode()


def test_people_filters_open_for_a_status_filter(client_for, cast):
    html = client_for("hr").get(reverse("people:list") + "?status=departed").content.decode()
    assert 'class="collapse filters-collapse show" id="people-filters"' in html


def test_list_rows_carry_labels_for_stacked_cards_and_keep_the_state(client_for, cast):
    make_tour(cast.report, state="agreed")
    html = client_for("manager").get(reverse("tours:index")).content.decode()
    assert 'class="table table-hover table-stack"' in html
    assert '<td data-label="State"><span class="state state-' in html
    # The employee's name leads to their page (a report of the viewer).
    assert f'href="{cast.report.get_absolute_url()}">Rita Ortiz</a>' in html


def test_a_manager_sees_their_reports_names_linked_in_the_people_list(client_for, cast):
    html = client_for("manager").get(reverse("people:list")).content.decode()
    assert f'href="{cast.report_report.get_absolute_url()}">Ravi Rao</a>' in html
