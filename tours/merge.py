"""Edit conflicts that lose nothing: a three-way merge of a tour's terms.

base = the revision the form was opened on, mine = what was posted, theirs = the newest revision. Term by term,
the company values as one set, and the objectives row by row: what only one side changed keeps that side's
version; what both changed, differently, is a clash, shown side by side, and saving is refused until the person
chooses. The merged form carries the newest revision as its base, so pressing Save again builds on theirs and
can never revert it. Each clash travels in the form as one hidden JSON value, so a choice survives "Add an
objective" and a second conflict merges again from there.
"""

import json
import re
from dataclasses import dataclass

from django.http import QueryDict

from tours.models import Objective
from tours.services import TERM_FIELDS

PREFIX = "objectives"  # the objectives formset's prefix (tours.views.agreement)
MAX_ROWS = 20  # ObjectiveFormSet.max_num
KEY = re.compile(r"^(values|objective-(\d{1,2}))$")
CHOICES = ("mine", "theirs")
UNKNOWN = object()  # the base when the form's revision cannot be found: every difference is a clash


@dataclass
class Clash:
    key: str  # a term's name, "values", or "objective-<row>" (its row in the merged form)
    label: str
    mine: str  # each side's version, as shown side by side
    theirs: str
    value: object  # theirs, as form data: a string, a list of value ids, or an objective row (None: removed)
    choice: str = ""  # "mine" or "theirs" once chosen
    removed_by_me: bool = False  # an objective I removed and they changed: "mine" removes it

    @property
    def carried(self):
        """The clash as the form carries it (a hidden input)."""
        return json.dumps({k: getattr(self, k) for k in FIELDS})


FIELDS = ("key", "label", "mine", "theirs", "value", "removed_by_me")


def _pick(base, mine, theirs):
    """The merged value, and whether both sides changed it differently."""
    if mine == theirs or theirs == base:
        return mine, False
    if mine == base:
        return theirs, False
    return mine, True


def _text(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _objective(side, description, measure):
    return (side, description, measure or "")


def _shown_objective(row):
    if row is None:
        return "(removed)"
    side, description, measure = row
    label = Objective.Side(side).label if side in Objective.Side.values else side
    return f"{label}: {description}" + (f" ({measure})" if measure else "")


def merge(*, base, theirs, terms, values, objectives, change_note=""):
    """Form data for the edit form holding the merged terms, on top of `theirs`, and the clashes to choose.

    `base` and `theirs` are revisions (base None when unknown); `terms`, `values` and `objectives` are what was
    posted, as TermsForm.terms(), its cleaned values and tours.forms.objectives_from give them."""
    data = QueryDict(mutable=True)
    clashes = []
    for name in TERM_FIELDS:
        before = _text(getattr(base, name)) if base else UNKNOWN
        after, clash = _pick(before, _text(terms.get(name)), _text(getattr(theirs, name)))
        data[name] = after
        if clash:
            label = str(theirs._meta.get_field(name).verbose_name).capitalize()
            theirs_text = _text(getattr(theirs, name))
            clashes.append(Clash(name, label, after or "(empty)", theirs_text or "(empty)", theirs_text))
    theirs_values = {v.pk: v.name for v in theirs.values.all()}
    base_values = {v.pk for v in base.values.all()} if base else UNKNOWN
    mine_values = {v.pk: v.name for v in values}
    merged, clash = _pick(base_values, set(mine_values), set(theirs_values))
    data.setlist("values", [str(pk) for pk in sorted(merged)])
    if clash:
        shown = lambda names: ", ".join(sorted(names.values())) or "(none)"  # noqa: E731
        clashes.append(
            Clash("values", "Company values it serves", shown(mine_values), shown(theirs_values), sorted(theirs_values))
        )
    base_rows = [_objective(o.side, o.description, o.measure) for o in base.objectives.all()] if base else []
    mine_rows = [_objective(o["side"], o["description"], o.get("measure")) for o in objectives]
    theirs_rows = [_objective(o.side, o.description, o.measure) for o in theirs.objectives.all()]
    length = max(len(base_rows), len(mine_rows), len(theirs_rows))
    padded = [rows_ + [None] * (length - len(rows_)) for rows_ in (base_rows, mine_rows, theirs_rows)]
    rows = []
    for i, (before, mine, their) in enumerate(zip(*padded, strict=True)):
        row, clash = _pick(before if base else UNKNOWN, mine, their)
        if clash:
            clashes.append(
                Clash(
                    f"objective-{len(rows)}",  # its row in the merged form
                    f"Objective {i + 1}",
                    _shown_objective(mine),
                    _shown_objective(their),
                    their,
                    removed_by_me=mine is None,
                )
            )
            row = row or their  # I removed it, they changed it: the row stays until I choose
        if row is not None:
            rows.append(row)
    for n, row in enumerate(rows[:MAX_ROWS]):
        _set_row(data, n, row)
    for name, value in {
        f"{PREFIX}-TOTAL_FORMS": str(min(len(rows), MAX_ROWS)),
        f"{PREFIX}-INITIAL_FORMS": "0",
        f"{PREFIX}-MIN_NUM_FORMS": "1",
        f"{PREFIX}-MAX_NUM_FORMS": str(MAX_ROWS),
        "base_revision": str(theirs.number),
        "change_note": change_note or "",
    }.items():
        data[name] = value
    data.setlist("clash", [c.carried for c in clashes])
    return data, clashes


def _set_row(data, n, row):
    """Objective row n of the form data becomes `row` (side, description, measure), or is removed (None)."""
    if row is None:
        data[f"{PREFIX}-{n}-DELETE"] = "on"
        return
    data.pop(f"{PREFIX}-{n}-DELETE", None)
    for field, value in zip(("side", "description", "measure"), row, strict=True):
        data[f"{PREFIX}-{n}-{field}"] = value


def _carried(raw):
    """A clash from its hidden input, or None when it is not one (a hostile or damaged value is ignored)."""
    try:
        fields = json.loads(raw)
        clash = Clash(**{k: fields[k] for k in FIELDS})
    except (ValueError, TypeError, KeyError):
        return None
    if not all(isinstance(getattr(clash, k), str) for k in FIELDS[:4]) or not isinstance(clash.removed_by_me, bool):
        return None
    if clash.key in TERM_FIELDS:
        return clash if isinstance(clash.value, str) else None
    match = KEY.match(clash.key)
    if match is None:
        return None
    if match.group(2) is None:  # values
        ok = isinstance(clash.value, list) and all(isinstance(v, int) for v in clash.value)
    else:
        ok = clash.value is None or (isinstance(clash.value, list) and len(clash.value) == 3)
        ok = ok and int(match.group(2)) < MAX_ROWS and all(isinstance(v, str) for v in clash.value or [])
    return clash if ok else None


def resolve(post):
    """The posted form with the choices applied: (data, clashes). A clash chosen "theirs" puts their version
    into the data; "mine" keeps what is in the form; one not chosen yet has an empty `choice`."""
    data = post.copy()
    clashes = [c for raw in post.getlist("clash")[: MAX_ROWS + len(TERM_FIELDS) + 1] if (c := _carried(raw))]
    for clash in clashes:
        choice = post.get(f"resolve-{clash.key}", "")
        clash.choice = choice if choice in CHOICES else ""
        row = clash.key.removeprefix("objective-")
        if clash.choice == "mine" and clash.removed_by_me:
            _set_row(data, int(row), None)
        if clash.choice != "theirs":
            continue  # mine: what is in the form (perhaps edited further since the conflict)
        if clash.key in TERM_FIELDS:
            data[clash.key] = clash.value
        elif clash.key == "values":
            data.setlist("values", [str(v) for v in clash.value])
        else:
            _set_row(data, int(row), clash.value)
    return data, clashes
