"""The reporting line as SQL sets: who is below a person, and who is above. Recursive CTEs over the
employee table (one query at any depth, no denormalised tree to keep in sync), used as `pk__in=` or
`<fk>__in=` conditions by the querysets. Indexed by employee_manager_id_idx (manager_id, id)."""

from django.db.models.expressions import RawSQL

# Every employee below one manager, at any depth. The manager id is a bound parameter.
SUBTREE_SQL = """
    WITH RECURSIVE subtree(id) AS (
        SELECT id FROM alliance_employee WHERE manager_id = %s
        UNION
        SELECT e.id FROM alliance_employee e JOIN subtree s ON e.manager_id = s.id
    )
    SELECT id FROM subtree
"""


# The managers above one employee, nearest first (depth 1 is their manager). The depth bound stops a cycle
# that bad data might hold from running forever; no real reporting line is 100 levels deep.
CHAIN_SQL = """
    WITH RECURSIVE chain(id, depth) AS (
        SELECT manager_id, 1 FROM alliance_employee WHERE id = %s AND manager_id IS NOT NULL
        UNION ALL
        SELECT e.manager_id, c.depth + 1 FROM alliance_employee e JOIN chain c ON e.id = c.id
        WHERE e.manager_id IS NOT NULL AND c.depth < 100
    )
    SELECT id FROM chain
"""


# The same with the employee themself as the root: what they may see. As one set (not "me OR my
# subtree") PostgreSQL can join it to another table's index: an employee's own tours are then a few
# index probes instead of a walk through every tour testing each against the set (30,000 at 10,000 people).
SELF_AND_SUBTREE_SQL = """
    WITH RECURSIVE subtree(id) AS (
        SELECT id FROM alliance_employee WHERE id = %s
        UNION
        SELECT e.id FROM alliance_employee e JOIN subtree s ON e.manager_id = s.id
    )
    SELECT id FROM subtree
"""


def _ids(sql, employee):
    # The SQL is a constant; the id is passed as a bound parameter, never formatted in.
    return RawSQL(sql, [int(employee.pk)])  # noqa: S611


def subtree_ids(employee):
    """The ids of everyone below this employee, at any depth (one query, recursive CTE)."""
    return _ids(SUBTREE_SQL, employee)


def self_and_subtree_ids(employee):
    """The ids of an employee and everyone below them, as one SQL set for `<fk>__in=` on another
    table: PostgreSQL joins it to that table's index rather than scanning the table (see the SQL)."""
    return _ids(SELF_AND_SUBTREE_SQL, employee)


def chain_ids(employee):
    """The ids of the managers above this employee (their reporting line), in one query."""
    return _ids(CHAIN_SQL, employee)
