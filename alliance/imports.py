"""CSV import of employees: plan (validate every row, write nothing), then apply (atomically).

Rows are matched on employee_number, so importing the same file twice changes nothing. Managers
are referenced by employee number or email and may appear later in the file. Optional columns that
are absent from the header leave those fields as they are.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from alliance.forms import SELF_AS_MANAGER
from alliance.models import Employee, Team, User

REQUIRED = ["employee_number", "first_name", "last_name", "email", "hire_date"]
OPTIONAL = ["job_title", "team", "manager", "departure_date", "core_values", "aspirations", "post_company_goal"]
COLUMNS = REQUIRED + OPTIONAL
MAX_LENGTH = {"employee_number": 30, "first_name": 100, "last_name": 100, "job_title": 150, "team": 100, "email": 254}
MAX_ROWS = 20000
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


@transaction.atomic
def apply_import(text, *, importer=None):
    """Validate again and write every row, or nothing. Returns the plan; raises ValueError if it has problems."""
    plan = plan_import(text, importer=importer)
    if not plan.ok:
        raise ValueError("The file has problems; nothing was imported.")
    teams = {t.name: t for t in Team.objects.all()}
    people = {}
    for row in plan.rows:
        v = row.values
        if row.action == "unchanged":
            continue
        team = None
        if v.get("team"):
            team = teams.get(v["team"]) or Team.objects.create(name=v["team"])
            teams[team.name] = team
        employee = Employee.objects.select_related("user").filter(employee_number=v["employee_number"]).first()
        if employee is None:
            user = User(email=v["email"])
            user.set_unusable_password()
            employee = Employee(employee_number=v["employee_number"])
        else:
            user = employee.user
        user.email, user.first_name, user.last_name = v["email"], v["first_name"], v["last_name"]
        user.save()
        employee.user = user
        for column in ["first_name", "last_name", "hire_date"]:
            setattr(employee, column, v[column])
        for column in ["job_title", "departure_date", "core_values", "aspirations", "post_company_goal"]:
            if column in v:
                setattr(employee, column, v[column] or (None if column == "departure_date" else ""))
        if "team" in v:
            employee.team = team
        employee.save()
        people[employee.employee_number] = employee
    # Second pass: managers may be people created above.
    for row in plan.rows:
        if row.action == "unchanged" or "manager" not in row.values:
            continue
        employee = people[row.values["employee_number"]]
        number = row.values["manager"]
        manager_id = None
        if number:
            manager_id = people[number].pk if number in people else Employee.objects.get(employee_number=number).pk
        if employee.manager_id != manager_id:
            employee.manager_id = manager_id
            employee.save(update_fields=["manager", "updated_at"])  # a save, so the audit trail records it
    return plan
