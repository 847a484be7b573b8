"""People in the interface: initials avatars, names that link where the viewer may go, the reporting line."""

import re

from django.urls import reverse

from alliance.models import Employee
from tests.factories import EmployeeFactory, make_tour


def crumbs(html):
    """The reporting-line breadcrumbs as (name, linked) pairs."""
    nav = re.search(r'<nav aria-label="Reporting line">(.*?)</nav>', html, re.S).group(1)
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', nav, re.S)
    return [(re.sub(r"<[^>]+>", "", item).strip(), "<a " in item) for item in items]


def test_person_page_shows_the_reporting_line_linked_for_hr(client_for, cast):
    html = client_for("hr").get(reverse("people:detail", args=[cast.report_report.pk])).content.decode()
    assert crumbs(html) == [("Mo Nagy", True), ("Rita Ortiz", True), ("Ravi Rao", False)]
    assert 'aria-current="page">Ravi Rao' in html


def test_an_employee_sees_their_manager_linked_but_not_the_line_above(client_for, cast):
    html = client_for("report_report").get(reverse("people:detail", args=[cast.report_report.pk])).content.decode()
    assert crumbs(html) == [("Mo Nagy", False), ("Rita Ortiz", True), ("Ravi Rao", False)]
    # The linked manager's page does open for them; the one above does not.
    client = client_for("report_report")
    assert client.get(reverse("people:detail", args=[cast.report.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[cast.manager.pk])).status_code == 404


def test_a_manager_sees_the_line_below_them_linked(client_for, cast):
    deep = EmployeeFactory(first_name="Dee", last_name="Pest", manager=cast.report_report)
    html = client_for("report").get(reverse("people:detail", args=[deep.pk])).content.decode()
    assert crumbs(html) == [("Mo Nagy", True), ("Rita Ortiz", True), ("Ravi Rao", True), ("Dee Pest", False)]


def test_the_reporting_line_costs_one_query_however_deep(cast, django_assert_num_queries):
    boss = cast.manager
    for n in range(8):
        boss = EmployeeFactory(first_name=f"Level{n}", last_name="X", manager=boss)
    person = Employee.objects.select_related("manager").get(pk=boss.pk)
    with django_assert_num_queries(1):
        chain = person.chain_of_command()
    assert [e.first_name for e in chain] == [f"Level{n}" for n in range(6, -1, -1)] + ["Mo"]
    top = Employee.objects.select_related("manager").get(pk=cast.report.pk)
    with django_assert_num_queries(0):
        assert top.chain_of_command() == [cast.manager]


def test_tour_page_shows_the_employees_line_and_avatars(client_for, cast):
    tour = make_tour(cast.report_report, state="agreed")
    html = client_for("manager").get(tour.get_absolute_url()).content.decode()
    assert crumbs(html) == [("Mo Nagy", True), ("Rita Ortiz", True), ("Ravi Rao", True)]
    colour = cast.report_report.pk % 8
    assert f'class="avatar avatar-{colour} avatar-sm" data-initials="RR" aria-hidden="true"></span>' in html


def test_avatar_colour_follows_the_id_and_carries_no_inline_style(client_for, cast):
    html = client_for("hr").get(reverse("people:detail", args=[cast.report.pk])).content.decode()
    colour = cast.report.pk % 8
    assert f'<span class="avatar avatar-{colour} avatar-lg" data-initials="RO" aria-hidden="true"></span>' in html
    assert "style=" not in html
