"""The audit trail: recent changes across every tracked model, with who, when and old → new.

One UNION query pages through all history tables by date; then one query per object type on the
page fetches its rows with their previous versions, joined to the people, teams and tours they
name. The count does not grow with the rows on a page.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from alliance.models import CompanyValue, Employee, Organization, Team, User
from alumni.models import AlumniProfile, Departure, Referral, Rehire
from networks.models import Contribution
from tours.models import Programme, Tour, TourRevision


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type
    person_field: str | None  # the history column naming the person a change is about
    related: tuple = ()  # select_related for the object's label
    url_name: str | None = None

    @property
    def history(self):
        return self.model.history.model

    def person_q(self, employee):
        if self.model is User:
            return Q(id=employee.user_id)
        return Q(**{self.person_field: employee.pk})

    def describe(self, r):
        if self.model is Employee:
            return f"{r.first_name} {r.last_name}"
        if self.model is User:
            return f"Sign-in {r.email}"
        if self.model is Tour:
            return f"{r.title} ({_name(r.employee)})"
        if self.model is Contribution:
            return f"{r.title} ({_name(r.contributor)})"
        if self.model in (AlumniProfile, Departure, Rehire):
            return f"{self.label} of {_name(r.employee)}"
        if self.model is Referral:
            return f"Referral of {r.candidate_name}"
        return r.name  # Team, Organization, CompanyValue

    def url(self, r):
        if self.url_name is None or r.history_type == "-":
            return None
        try:
            return reverse(self.url_name, args=[r.id])
        except NoReverseMatch:
            return None


KINDS = {
    k.key: k
    for k in [
        Kind("person", "Person", Employee, "id", url_name="people:detail"),
        Kind("signin", "Sign-in", User, "id"),
        Kind("tour", "Tour", Tour, "employee_id", ("employee",), "tours:detail"),
        Kind("insight", "Insight", Contribution, "contributor_id", ("contributor",), "networks:detail"),
        Kind("alumni_profile", "Alumni profile", AlumniProfile, "employee_id", ("employee",), "alumni:detail"),
        Kind("departure", "Departure", Departure, "employee_id", ("employee",)),
        Kind("rehire", "Rehire", Rehire, "employee_id", ("employee",)),
        Kind("referral", "Referral", Referral, "referrer_id"),
        Kind("team", "Team", Team, None),
        Kind("company", "Company", Organization, None),
        Kind("value", "Company value", CompanyValue, None),
    ]
}
KIND_OF_MODEL = {k.model: k for k in KINDS.values()}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def kind_for(obj):
    return KIND_OF_MODEL[type(obj)]


def _name(employee):
    return employee.full_name if employee is not None else "—"


def _label(obj):
    """How a related object is named in a change (no further queries)."""
    if isinstance(obj, Employee):
        return obj.full_name
    if isinstance(obj, User):
        return obj.email
    if isinstance(obj, TourRevision):
        return f"revision {obj.number}"
    if isinstance(obj, Departure):
        return f"departure on {obj.departure_date:%Y-%m-%d}"
    if isinstance(obj, (Tour, Contribution)):
        return obj.title
    if isinstance(obj, (Team, Programme, Organization)):
        return obj.name
    return f"#{obj.pk}"


@dataclass
class Entry:
    kind: Kind
    record: object
    previous: object
    object_label: str = ""
    url: str | None = None
    changes: list = field(default_factory=list)

    @property
    def action(self):
        return ACTIONS[self.record.history_type]

    @property
    def user(self):
        return self.record.history_user

    @property
    def date(self):
        return self.record.history_date


def changes_queryset(kinds=None, *, person=None, by=None, object_id=None):
    """(kind, history_id, history_date) rows of every matching change, newest first, as one query."""
    branches = []
    for kind in KINDS.values() if kinds is None else kinds:
        qs = kind.history.objects.all()
        if person is not None:
            if kind.person_field is None:
                continue
            qs = qs.filter(kind.person_q(person))
        if by is not None:
            qs = qs.filter(history_user=by)
        if object_id is not None:
            qs = qs.filter(id=object_id)
        qs = qs.order_by().annotate(audit_kind=Value(kind.key, output_field=CharField()))
        branches.append(qs.values_list("audit_kind", "history_id", "history_date"))
    if not branches:
        return Tour.history.none().values_list("history_id", "history_id", "history_date")
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return combined.order_by("-history_date", "-history_id")


def _with_names(kind, qs):
    """Joins the changing user and every related object a change may name (history foreign keys are
    nullable and unconstrained, so a deleted target is a None, never a lost row)."""
    fks = [f.name for f in _tracked_fields(kind) if f.is_relation]
    return qs.select_related("history_user__employee", *kind.related, *fks)


def entries(rows):
    """Turn (kind, history_id, date) rows into entries with their changes, in the same order:
    one query per object type on the page."""
    wanted = {}
    for key, history_id, _ in rows:
        wanted.setdefault(key, []).append(history_id)
    records = {}
    for key, ids in wanted.items():
        kind = KINDS[key]
        model = kind.history
        previous = (
            model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        # The page's rows and the version before each, as one semi-join on the primary key (an OR of
        # the two lists would make PostgreSQL scan the whole history table).
        page = model.objects.filter(history_id__in=ids)
        wanted_ids = page.values("history_id").union(page.annotate(prev=Subquery(previous)).values("prev"), all=True)
        qs = model.objects.filter(history_id__in=wanted_ids).annotate(prev=Subquery(previous))
        records[key] = {r.history_id: r for r in _with_names(kind, qs)}
    result = []
    for key, history_id, _ in rows:
        by_id = records[key]
        record = by_id[history_id]
        result.append(_entry(KINDS[key], record, by_id.get(record.prev)))
    return result


def _entry(kind, record, previous):
    entry = Entry(kind, record, previous, kind.describe(record), kind.url(record))
    if record.history_type == "-":
        return entry
    for f in _tracked_fields(kind):
        if f.primary_key or f.name == "id":
            continue
        new = getattr(record, f.attname)
        old = getattr(previous, f.attname) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, "", False):  # a new record: what it was given
            continue
        entry.changes.append((f.verbose_name, _show(f, old, previous), _show(f, new, record)))
    return entry


def _tracked_fields(kind):
    names = {f.name for f in kind.history.tracked_fields}
    return [f for f in kind.history._meta.fields if f.name in names]


def _show(f, value, record):
    if value is None or value == "":
        return "—"
    if f.is_relation:
        related = getattr(record, f.name)  # joined by _with_names
        return _label(related) if related is not None else f"#{value} (deleted)"
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def recent_for(obj, limit=10):
    """The latest changes to one object (its history section), in one query: the object's newest
    limit + 1 versions, each the previous version of the one above it."""
    kind = kind_for(obj)
    qs = kind.history.objects.filter(id=obj.pk).order_by("-history_id")[: limit + 1]
    records = list(_with_names(kind, qs))
    return [_entry(kind, r, records[i + 1] if i + 1 < len(records) else None) for i, r in enumerate(records[:limit])]
