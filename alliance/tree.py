"""The reporting line as a materialised path: each employee's `tree_path` lists the ids from the top of
their line down to themself ("/1/75/300/"). Everyone below someone is one indexed prefix match
(`tree_path LIKE '/1/75/%'`), everyone above them is read off their own path, with no query.

Why not recursive CTEs over manager_id (what this module did until the big-subtree work): PostgreSQL
cannot estimate how many rows a recursive CTE returns, so for a manager with 20,000 people below it guessed
a few hundred, chose nested loops, and walked the 20,000 ids on every query (22 ms per walk, 130-420 ms per
page). A prefix match is estimated from the column's statistics, so the planner picks the right join.

The path is derived data, kept by the two writers of manager_id: `place()`, called by Employee.save() (forms,
services, the admin, imports' updates), moves a person and rewrites their whole subtree's prefix in one
UPDATE; `rebuild()` recomputes every path after bulk inserts (seed_demo, CSV imports' new people, the
migration). tests/conftest.py checks after every test that each path still follows manager_id
(`inconsistent()`), so a writer that forgets fails the suite."""

from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat, Substr

# Every path, from the managers' links: one recursive walk from the tops of the lines, then one UPDATE.
REBUILD_SQL = """
    WITH RECURSIVE walk(id, path) AS (
        SELECT id, CAST('/' || CAST(id AS TEXT) || '/' AS TEXT) FROM alliance_employee WHERE manager_id IS NULL
        UNION ALL
        SELECT e.id, CAST(w.path || CAST(e.id AS TEXT) || '/' AS TEXT)
        FROM alliance_employee e JOIN walk w ON e.manager_id = w.id
        WHERE LENGTH(w.path) < 2000
    )
    UPDATE alliance_employee SET tree_path = walk.path FROM walk
    WHERE walk.id = alliance_employee.id AND alliance_employee.tree_path <> walk.path
"""


class LoopError(ValueError):
    """Placing someone under a person who reports to them: the forms refuse this before it gets here."""


def _path(employee):
    """The employee's own path, re-read if the instance does not hold one (built in memory, or deferred)."""
    path = employee.__dict__.get("tree_path") or ""
    if not path.endswith(f"/{employee.pk}/"):
        path = type(employee)._base_manager.filter(pk=employee.pk).values_list("tree_path", flat=True).first() or ""
    if not path:
        raise ValueError(f"Employee {employee.pk} has no place in the reporting tree")
    return path


def subtree(queryset, employee):
    """`queryset` narrowed to everyone below this employee, at any depth."""
    return queryset.filter(tree_path__startswith=_path(employee)).exclude(pk=employee.pk)


def self_and_subtree(queryset, employee):
    """`queryset` narrowed to this employee and everyone below them."""
    return queryset.filter(tree_path__startswith=_path(employee))


def chain_ids(employee):
    """The ids of the managers above this employee, nearest first (read off the path: no query)."""
    return [int(part) for part in reversed(_path(employee).strip("/").split("/")[:-1])]


def place(employee):
    """After a save: give the employee the path under their manager and, if it changed, move their whole
    subtree with them (one UPDATE of the old prefix). Two reads and at most one write."""
    model = type(employee)._base_manager
    rows = dict(model.filter(pk__in=[employee.pk, employee.manager_id]).values_list("pk", "tree_path"))
    parent = rows.get(employee.manager_id, "/") if employee.manager_id else "/"
    if employee.manager_id and f"/{employee.pk}/" in parent:
        raise LoopError(f"Employee {employee.manager_id} reports to {employee.pk}: that would make a loop")
    old, new = rows.get(employee.pk) or "", f"{parent}{employee.pk}/"
    if old == new:
        return
    if old:
        model.filter(tree_path__startswith=old).update(tree_path=Concat(Value(new), Substr("tree_path", len(old) + 1)))
    else:
        model.filter(pk=employee.pk).update(tree_path=new)
    employee.tree_path = new


def rebuild():
    """Recompute every path from manager_id (after bulk inserts, which skip save())."""
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL)


def inconsistent(model):
    """Employees whose path does not follow their manager's (empty when the tree is sound): for the tests."""
    paths = dict(model._base_manager.values_list("pk", "tree_path"))
    managers = dict(model._base_manager.values_list("pk", "manager_id"))
    return [
        pk for pk, path in paths.items() if path != (paths.get(managers[pk], "/") if managers[pk] else "/") + f"{pk}/"
    ]
