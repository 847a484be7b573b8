"""The reporting line as a materialised path (alliance.tree): kept by every writer of manager_id, and the
one definition of "below" and "above" that access, lists and reports use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance import tree
from alliance.models import Employee
from tests.factories import EmployeeFactory


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_a_new_person_gets_a_path_under_their_manager(cast):
    assert cast.manager.tree_path == f"/{cast.manager.pk}/"
    assert cast.report_report.tree_path == f"/{cast.manager.pk}/{cast.report.pk}/{cast.report_report.pk}/"


def test_moving_a_manager_moves_their_whole_subtree(cast):
    below = EmployeeFactory(manager=cast.report_report)
    cast.report.manager = cast.other
    cast.report.save()
    assert ids(Employee.objects.subtree_of(cast.other)) == {cast.report.pk, cast.report_report.pk, below.pk}
    assert ids(Employee.objects.subtree_of(cast.manager)) == {cast.alumnus.pk}  # the alumnus still reports to him
    below.refresh_from_db()
    assert below.tree_path == f"/{cast.other.pk}/{cast.report.pk}/{cast.report_report.pk}/{below.pk}/"
    assert [e.pk for e in below.chain_of_command()] == [cast.report_report.pk, cast.report.pk, cast.other.pk]


def test_a_top_of_the_line_and_back(cast):
    cast.report.manager = None
    cast.report.save()
    assert ids(Employee.objects.subtree_of(cast.manager)) == {cast.alumnus.pk}
    assert cast.report.chain_of_command() == []
    cast.report.manager = cast.manager
    cast.report.save()
    assert cast.report_report.pk in ids(Employee.objects.subtree_of(cast.manager))


def test_a_loop_is_refused(cast):
    cast.manager.manager = cast.report_report
    with pytest.raises(tree.LoopError):
        cast.manager.save()


def test_the_person_form_refuses_a_loop_with_a_message(cast, client_for):
    from django.urls import reverse

    response = client_for("hr").post(
        reverse("people:edit", args=[cast.manager.pk]),
        {
            "first_name": "Mo",
            "last_name": "Nagy",
            "email": "manager@test.example",
            "employee_number": cast.manager.employee_number,
            "hire_date": "2020-01-01",
            "manager_ref": cast.report_report.employee_number,
        },
    )
    assert response.status_code == 200
    assert "that would make a loop" in response.text


def test_rebuild_after_bulk_inserts(cast):
    Employee.objects.filter(pk=cast.report.pk).update(tree_path="")
    Employee.objects.filter(pk=cast.report_report.pk).update(tree_path="/wrong/")
    assert tree.inconsistent(Employee)
    tree.rebuild()
    assert tree.inconsistent(Employee) == []


def test_below_is_one_prefix_match(cast):
    with CaptureQueriesContext(connection) as queries:
        list(Employee.objects.subtree_of(cast.manager))
    assert len(queries) == 1 and "tree_path" in queries[0]["sql"] and "LIKE" in queries[0]["sql"].upper()


def test_an_unsaved_path_is_read_from_the_database_never_taken_as_everyone(cast):
    stale = Employee.objects.only("pk", "manager").get(pk=cast.manager.pk)  # tree_path deferred
    assert ids(Employee.objects.subtree_of(stale)) == ids(Employee.objects.subtree_of(cast.manager))
    assert cast.other.pk not in ids(Employee.objects.subtree_of(stale))
