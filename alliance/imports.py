"""CSV import of employees: plan (validate every row, write nothing), then apply (atomically).

Rows are matched on employee_number, so importing the same file twice changes nothing. Managers
are referenced by employee number or email and may appear later in the file. Optional columns that
are absent from the header leave those fields as they are.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from alliance import tree
from alliance.forms import SELF_AS_MANAGER
from alliance.models import Employee, Team, User

REQUIRED = ["employee_number", "first_name", "last_name", "email", "hire_date"]
OPTIONAL = ["job_title", "team", "manager", "departure_date", "core_values", "aspirations", "post_company_goal"]
COLUMNS = REQUIRED + OPTIONAL
MAX_LENGTH = {"employee_number": 30, "first_name": 100, "last_name": 100, "job_title": 150, "team": 100, "email": 254}
MAX_ROWS = 20000
BATCH = 500  # rows per INSERT: well under SQLite's 32,766 bound parameters
PREVIEW_ROWS = 200  # rows listed on the preview page; a 20,000-row table would take seconds to render
# Fields compared to decide whether an existing person changes.
COMPARED = ["first_name", "last_name", "email", "job_title", "team", "manager", "hire_date", "departure_date",
            "core_values", "aspirations", "post_company_goal"]  # fmt: skip


@dataclass
class Row:
    line: int
    values: dict
    problems: list = field(default_factory=list)
    action: str = ""  # "create", "update" or "unchanged"


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # about the file as a whole
    columns: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and bool(self.rows) and not any(r.problems for r in self.rows)

    @property
    def shown_rows(self):
        """What the preview lists: the rows with problems if any, else the first rows (all are checked)."""
        with_problems = [r for r in self.rows if r.problems]
        return (with_problems or self.rows)[:PREVIEW_ROWS]

    @property
    def rows_with_problems(self):
        return sum(1 for r in self.rows if r.problems)

    @property
    def counts(self):
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            if not row.problems:
                counts[row.action] += 1
        return counts


def _parse_date(value, column, row):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        row.problems.append(f"{column} “{value}” is not a date; use YYYY-MM-DD.")
        return None


def _existing():
    """Everyone already in the database, keyed by employee number: one query."""
    rows = Employee.objects.values_list(
        "pk", "employee_number", "user__email", "first_name", "last_name", "job_title", "team__name",
        "manager__employee_number", "hire_date", "departure_date", "core_values", "aspirations",
        "post_company_goal",
    )  # fmt: skip
    keys = ["pk", "employee_number", "email", "first_name", "last_name", "job_title", "team", "manager",
            "hire_date", "departure_date", "core_values", "aspirations", "post_company_goal"]  # fmt: skip
    return {r[1]: dict(zip(keys, r, strict=True)) for r in rows}


def plan_import(text, *, importer=None):
    """What the file would do. `importer` is the HR user uploading it: they may not name themself a
    manager (HR signs no tour; as a manager it would sign that person's)."""
    plan = Plan()
    if "\x00" in text:
        # No database text column can hold it (PostgreSQL refuses it outright): refuse it here, not at the confirm.
        line = text.count("\n", 0, text.index("\x00")) + 1
        plan.problems.append(
            f"The file contains a NUL character (line {line}), so it is not plain CSV text. "
            "Save it again as “CSV UTF-8” and upload that."
        )
        return plan
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        plan.problems.append(f"The file is not valid CSV: {exc}.")
        return plan
    if not header:
        plan.problems.append("The file is empty: it needs a header row and at least one person.")
        return plan
    reader.fieldnames = header
    plan.columns = header
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        plan.problems.append(f"Missing column(s): {', '.join(missing)}.")
    if unknown:
        plan.problems.append(f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}.")
    if len(set(header)) != len(header):
        plan.problems.append("A column name appears twice in the header.")
    if plan.problems:
        return plan

    try:
        for raw in reader:
            row = Row(line=reader.line_num, values={})
            if None in raw:
                row.problems.append("This line has more values than the header has columns.")
            for column in header:
                row.values[column] = (raw.get(column) or "").strip()
            plan.rows.append(row)
            if len(plan.rows) > MAX_ROWS:
                plan.problems.append(f"The file has more than {MAX_ROWS} rows; split it.")
                return plan
    except csv.Error as exc:
        plan.problems.append(f"The file is not valid CSV near line {reader.line_num}: {exc}.")
        return plan
    if not plan.rows:
        plan.problems.append("The file has a header but no people.")
        return plan

    existing = _existing()
    by_email = {e["email"]: number for number, e in existing.items()}
    other_accounts = set(
        User.objects.filter(employee__isnull=True).values_list("email", flat=True)
    )  # staff sign-ins with no person record
    first_line_of_number, first_line_of_email = {}, {}
    file_numbers, file_emails = {}, {}

    for row in plan.rows:
        v = row.values
        for column in REQUIRED:
            if not v.get(column):
                row.problems.append(f"{column} is missing.")
        for column, limit in MAX_LENGTH.items():
            if len(v.get(column, "")) > limit:
                row.problems.append(f"{column} is longer than {limit} characters.")
        v["email"] = v.get("email", "").lower()
        if v["email"]:
            try:
                validate_email(v["email"])
            except ValidationError:
                row.problems.append(f"email “{v['email']}” is not a valid email address.")
        v["hire_date"] = _parse_date(v.get("hire_date"), "hire_date", row)
        if "departure_date" in v:
            v["departure_date"] = _parse_date(v["departure_date"], "departure_date", row)
            if v["hire_date"] and v["departure_date"] and v["departure_date"] < v["hire_date"]:
                row.problems.append("departure_date is before hire_date.")

        number, email = v.get("employee_number"), v["email"]
        if number:
            if number in first_line_of_number:
                row.problems.append(f"employee_number {number} is also on line {first_line_of_number[number]}.")
            else:
                first_line_of_number[number] = row.line
                file_numbers[number] = row
        if email:
            if email in first_line_of_email:
                row.problems.append(f"email {email} is also on line {first_line_of_email[email]}.")
            else:
                first_line_of_email[email] = row.line
                file_emails[email] = number
            owner = by_email.get(email)
            if owner is not None and owner != number:
                row.problems.append(f"email {email} belongs to employee {owner} already.")
            elif email in other_accounts:
                row.problems.append(f"email {email} is used by another sign-in.")

    # Resolve managers: by number or email, in the file first, then in the database.
    importer_number = (
        Employee.objects.filter(user=importer).values_list("employee_number", flat=True).first() if importer else None
    )
    for row in plan.rows:
        ref = row.values.get("manager", "")
        if not ref:
            continue
        number = ref if (ref in file_numbers or ref in existing) else None
        number = number or file_emails.get(ref.lower()) or by_email.get(ref.lower())
        if number is None:
            row.problems.append(f"manager “{ref}” is not in the file or among existing employees.")
        elif number == row.values.get("employee_number"):
            row.problems.append("A person cannot be their own manager.")
        elif number is not None and number == importer_number:
            row.problems.append(SELF_AS_MANAGER)
        row.values["manager"] = number or ""

    # A cycle: following managers from a row leads back to it (file values override the database).
    boss_of = {n: e["manager"] for n, e in existing.items()}
    boss_of.update({n: r.values["manager"] or None for n, r in file_numbers.items() if "manager" in r.values})
    for number, row in file_numbers.items():
        path, boss = [number], boss_of.get(number)
        while boss and boss not in path and len(path) <= len(boss_of):
            path.append(boss)
            boss = boss_of.get(boss)
        if boss == number and len(path) > 1:
            row.problems.append("Manager cycle: " + " → ".join([*path, number]) + ".")

    for row in plan.rows:
        current = existing.get(row.values.get("employee_number"))
        if current is None:
            row.action = "create"
        else:
            if "departure_date" in row.values and row.values["departure_date"] != current["departure_date"]:
                # As on the edit form: a departure is recorded and undone on purpose, never by retyping a row.
                row.problems.append(
                    "departure_date differs from the one recorded: record or undo a departure on the person's page."
                )
            changed = any(
                column in row.values and (row.values[column] or None) != (current[column] or None)
                for column in COMPARED
            )
            row.action = "update" if changed else "unchanged"
    return plan


def _creation_levels(created):
    """Created rows grouped so each level's managers are written before it (0: manager not created here).
    Iterative, as a 20,000-person reporting chain would overflow recursion; the plan refused cycles."""
    level = {}
    for number in created:
        path, n = [], number
        while n in created and n not in level:
            path.append(n)
            n = created[n].values.get("manager") or None
        base = level.get(n, -1)
        for m in reversed(path):
            base += 1
            level[m] = base
    levels = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for number, depth in level.items():
        levels[depth].append(created[number])
    return levels


@transaction.atomic
def apply_import(text, *, by=None):
    """Validate again and write every row, or nothing. Returns (plan, created employees); raises ValueError if the
    plan has problems. New people are written with bulk inserts (with their audit history) so 20,000 rows fit in
    seconds; updated people are saved one by one, so the audit trail records each change. `by` is the HR user
    who confirmed the import."""
    plan = plan_import(text, importer=by)
    if not plan.ok:
        raise ValueError("The file has problems; nothing was imported.")
    rows = [row for row in plan.rows if row.action != "unchanged"]
    teams = {t.name: t for t in Team.objects.all()}
    new_teams = sorted({row.values["team"] for row in rows if row.values.get("team")} - teams.keys())
    for team in bulk_create_with_history([Team(name=name) for name in new_teams], Team, default_user=by):
        teams[team.name] = team
    if new_teams and any(teams[name].pk is None for name in new_teams):  # a backend that returns no ids
        teams = {t.name: t for t in Team.objects.all()}
    references = {row.values["manager"] for row in rows if row.values.get("manager")}
    references |= {row.values["employee_number"] for row in rows}
    pk_of = dict(Employee.objects.filter(employee_number__in=references).values_list("employee_number", "pk"))

    def fill(employee, v):
        for column in ["first_name", "last_name", "hire_date"]:
            setattr(employee, column, v[column])
        for column in ["job_title", "departure_date", "core_values", "aspirations", "post_company_goal"]:
            if column in v:
                setattr(employee, column, v[column] or (None if column == "departure_date" else ""))
        if "team" in v:
            employee.team = teams[v["team"]] if v["team"] else None

    created = {row.values["employee_number"]: row for row in rows if row.action == "create"}
    users = bulk_create_with_history(
        [
            User(email=r.values["email"], first_name=r.values["first_name"], last_name=r.values["last_name"],
                 password=make_password(None))  # unusable until the person follows their sign-in link
            for r in created.values()
        ],
        User,
        batch_size=BATCH,
        default_user=by,
    )  # fmt: skip
    user_of = {u.email: u for u in users}
    if any(u.pk is None for u in users):
        user_of = {u.email: u for u in User.objects.filter(email__in=user_of)}
    new_people = []
    for level in _creation_levels(created):
        batch = []
        for row in level:
            v = row.values
            employee = Employee(employee_number=v["employee_number"], user=user_of[v["email"]])
            fill(employee, v)
            employee.manager_id = pk_of[v["manager"]] if v.get("manager") else None
            batch.append(employee)
        batch = bulk_create_with_history(batch, Employee, batch_size=BATCH, default_user=by)
        if any(e.pk is None for e in batch):
            numbers = [e.employee_number for e in batch]
            batch = list(Employee.objects.select_related("user").filter(employee_number__in=numbers))
        pk_of.update((e.employee_number, e.pk) for e in batch)
        new_people.extend(batch)
    if new_people:
        tree.rebuild()  # bulk inserts skip save(), which places each person in the reporting tree

    updated = {row.values["employee_number"]: row for row in rows if row.action == "update"}
    for employee in Employee.objects.select_related("user").filter(employee_number__in=updated):
        v = updated[employee.employee_number].values
        user = employee.user
        user.email, user.first_name, user.last_name = v["email"], v["first_name"], v["last_name"]
        # The import runs in the worker, outside any request: name the HR person who confirmed it on the history.
        user._history_user = employee._history_user = by
        user.save()
        fill(employee, v)
        if "manager" in v:
            employee.manager_id = pk_of[v["manager"]] if v["manager"] else None
        employee.save()  # a save, so the audit trail records the change
    return plan, new_people
