"""Edit conflicts that lose nothing: a three-way merge of a tour's terms.

base = the revision the form was opened on, mine = what was posted, theirs = the newest revision. Term by term,
the company values element by element (never a clash), and the objectives one by one, matched by identity (the
id each form row carries, tours.models.Objective.identity) rather than by position: what only one side changed
keeps that side's version; what both changed, differently, is a clash, shown side by side, and saving is refused
until the person chooses. The merged form carries the newest revision as its base, so pressing Save again builds
on theirs and can never revert it. Each clash travels in the form as one hidden JSON value until it is chosen; a
choice is applied once and then the field is an ordinary one again, and a second conflict merges again from there."""

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


def _row(objective):
    return (objective.side, objective.description, objective.measure or "")


def _shown_objective(row):
    if row is None:
        return "(removed)"
    side, description, measure = row
    label = Objective.Side(side).label if side in Objective.Side.values else side
    return f"{label}: {description}" + (f" ({measure})" if measure else "")


def merge_values(base, mine, theirs):
    """The company values, element by element (never a clash): what all three hold, plus what either side added,
    less what either side removed. With the base unknown, nothing is taken as removed."""
    if base is UNKNOWN:
        base = mine & theirs
    return (base & mine & theirs) | (mine - base) | (theirs - base)


def _identities(base_objectives, theirs_objectives):
    """Each of their objectives' identity in base terms. Normally its own (Objective.identity); a row written
    before identities were kept that is word for word an unmatched base row is taken as that row."""
    base_ids = {o.identity for o in base_objectives}
    ids = {o.pk: o.identity for o in theirs_objectives}
    unmatched = [o for o in base_objectives if o.identity not in set(ids.values())]
    for o in theirs_objectives:
        if ids[o.pk] in base_ids:
            continue
        twin = next((b for b in unmatched if _row(b) == _row(o)), None)
        if twin is not None:
            unmatched.remove(twin)
            ids[o.pk] = twin.identity
    return ids


def merge_objectives(*, base, theirs, objectives):
    """The objectives merged by identity, not position: [(row, ref)], each row (side, description, measure) with
    the id of their objective it continues (None for a row they do not have), and the clashes as
    (position in the merged rows, mine, theirs), a side None for "removed".

    In their order: each of their rows with my change of it if only I changed it, theirs if only they did (a
    clash if we both did, differently); a row I removed is dropped unless they changed it (a clash). Then the
    rows they removed that I changed (a clash), then the rows I added."""
    base_objectives = list(base.objectives.all()) if base else []
    theirs_objectives = list(theirs.objectives.all())
    base_rows = {o.identity: _row(o) for o in base_objectives}
    identity_of = {o.pk: o.identity for o in base_objectives}  # the ids my form carried
    mine, added = {}, []
    for o in objectives:
        row = (o["side"], o["description"], o.get("measure") or "")
        identity = identity_of.get(o.get("ref"))
        if identity is None or identity in mine:
            added.append(row)
        else:
            mine[identity] = row
    if base is None:  # the base is unknown: keep theirs, and of mine what they do not already have
        theirs_rows = {_row(o) for o in theirs_objectives}
        added = [row for row in added if row not in theirs_rows]
    theirs_ids = _identities(base_objectives, theirs_objectives)
    rows, clashes = [], []
    for o in theirs_objectives:
        identity, their = theirs_ids[o.pk], _row(o)
        if identity in base_rows:
            before, my = base_rows[identity], mine.get(identity)
            if my is None:  # I removed it
                if their == before:
                    continue
                clashes.append((len(rows), None, their))  # they changed it: it stays until I choose
            else:
                their, clash = _pick(before, my, their)
                if clash:
                    clashes.append((len(rows), my, _row(o)))
        rows.append((their, o.pk))
    kept = set(theirs_ids.values())
    for identity, before in base_rows.items():
        my = mine.get(identity)
        if identity not in kept and my is not None and my != before:  # they removed it, I changed it
            clashes.append((len(rows), my, None))
            rows.append((my, None))
    rows.extend((row, None) for row in added)
    return rows, clashes


def merge(*, base, theirs, terms, values, objectives, change_note=""):
    """Form data for the edit form holding the merged terms, on top of `theirs`, and the clashes to choose.

    `base` and `theirs` are revisions (base None when unknown); `terms`, `values` and `objectives` are what was
    posted, as TermsForm.terms(), its cleaned values and tours.forms.objectives_from give them (each objective
    with the `ref` of the base objective it continues, None for a new row)."""
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
    merged = merge_values(
        {v.pk for v in base.values.all()} if base else UNKNOWN,
        {v.pk for v in values},
        {v.pk for v in theirs.values.all()},
    )
    data.setlist("values", [str(pk) for pk in sorted(merged)])
    rows, row_clashes = merge_objectives(base=base, theirs=theirs, objectives=objectives)
    for n, mine, their in row_clashes:
        clashes.append(
            Clash(
                f"objective-{n}",  # its row in the merged form
                f"Objective {n + 1}",
                _shown_objective(mine),
                _shown_objective(their),
                their,
                removed_by_me=mine is None,
            )
        )
    for n, (row, ref) in enumerate(rows[:MAX_ROWS]):
        _set_row(data, n, row, ref)
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


KEEP = object()


def _set_row(data, n, row, ref=KEEP):
    """Objective row n of the form data becomes `row` (side, description, measure), or is removed (None); `ref`,
    when given, is the id of their objective it continues (None: a new one)."""
    if ref is not KEEP:
        data[f"{PREFIX}-{n}-ref"] = "" if ref is None else str(ref)
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
    """The posted form with the choices applied: (data, the clashes still to choose). A choice is applied once,
    to this post, and then dropped from the form: "theirs" puts their version into the data, "mine" keeps what is
    in the form; the re-rendered form shows the result as an ordinary field, so a later edit of it is kept (not
    overwritten by the same choice again). A clash not chosen yet travels on, with an empty `choice`."""
    data = post.copy()
    clashes = [c for raw in post.getlist("clash")[: MAX_ROWS + len(TERM_FIELDS) + 1] if (c := _carried(raw))]
    pending = []
    for clash in clashes:
        choice = post.get(f"resolve-{clash.key}", "")
        data.pop(f"resolve-{clash.key}", None)
        if choice not in CHOICES:
            pending.append(clash)
            continue
        row = clash.key.removeprefix("objective-")
        if choice == "mine" and clash.removed_by_me:
            _set_row(data, int(row), None)
        if choice != "theirs":
            continue  # mine: what is in the form (perhaps edited further since the conflict)
        if clash.key in TERM_FIELDS:
            data[clash.key] = clash.value
        elif clash.key == "values":
            data.setlist("values", [str(v) for v in clash.value])
        else:
            _set_row(data, int(row), clash.value)
    data.setlist("clash", [c.carried for c in pending])
    return data, pending
