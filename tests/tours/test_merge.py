"""Issue 21: an edit conflict loses nothing. A save from a stale revision is merged three ways (tours.merge):
base = the revision the form was opened on, mine = the post, theirs = the newest revision."""

import json

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.factories import make_tour
from tours.merge import Clash, resolve

pytestmark = pytest.mark.django_db


def opened(revision, **changes):
    """The edit form exactly as it was opened on `revision`, with `changes` typed in."""
    data = {
        "base_revision": str(revision.number),
        "change_note": "",
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "1",
        "objectives-MAX_NUM_FORMS": "20",
    }
    for field in ("title", "mission", "company_gets", "employee_gets", "company_invests", "length_reason"):
        data[field] = getattr(revision, field)
    data.update(
        start_date=revision.start_date.isoformat(),
        end_date=revision.end_date.isoformat(),
        checkin_months=str(revision.checkin_months),
        aspirations_served=revision.aspirations_served,
    )
    objectives = list(revision.objectives.all())
    data["objectives-TOTAL_FORMS"] = str(len(objectives))
    for n, o in enumerate(objectives):
        data.update({f"objectives-{n}-side": o.side, f"objectives-{n}-description": o.description})
        data[f"objectives-{n}-measure"] = o.measure
        data[f"objectives-{n}-ref"] = str(o.pk)  # which objective the row is (tours.merge matches by it)
    data.update(changes)
    return data


def as_posted(form):
    """What the browser sends back from the re-rendered form, unchanged (every field, the hidden ones too)."""
    return {key: form.data.getlist(key) for key in form.data}


@pytest.fixture
def tour(cast):
    return make_tour(cast.report, state="proposed")


def test_a_change_only_they_made_survives_my_save_and_my_save_again(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    assert client_for("manager").post(edit, opened(base, mission="Their mission.")).status_code == 302
    conflict = client_for("report").post(edit, opened(base, company_invests="A coach, monthly."))
    assert conflict.status_code == 409
    form = conflict.context["form"]
    assert form["mission"].value() == "Their mission." and form["company_invests"].value() == "A coach, monthly."
    assert form["base_revision"].value() == "2" and conflict.context["clashes"] == []
    # Pressing Save again on the re-rendered form: both changes, theirs never reverted.
    assert client_for("report").post(edit, as_posted(form)).status_code == 302
    tour.refresh_from_db()
    revision = tour.current_revision
    assert revision.number == 3 and revision.mission == "Their mission."
    assert revision.company_invests == "A coach, monthly."


def test_a_term_both_changed_cannot_be_saved_until_one_version_is_chosen(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    client_for("manager").post(edit, opened(base, title="Their title"))
    conflict = client_for("report").post(edit, opened(base, title="My title", mission="My mission."))
    assert conflict.status_code == 409
    [clash] = conflict.context["clashes"]
    assert (clash.key, clash.mine, clash.theirs) == ("title", "My title", "Their title")
    assert "You both changed this" in conflict.text and "Keep theirs (revision 2)" in conflict.text
    data = as_posted(conflict.context["form"])
    refused = client_for("report").post(edit, data)
    assert refused.status_code == 409 and "choose which version to keep" in refused.text
    assert tour.revisions.count() == 2  # nothing saved
    assert client_for("report").post(edit, {**data, "resolve-title": "theirs"}).status_code == 302
    revision = tour.revisions.order_by("-number").first()
    assert (revision.number, revision.title, revision.mission) == (3, "Their title", "My mission.")


def test_choosing_mine_keeps_mine(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    client_for("manager").post(edit, opened(base, title="Their title"))
    conflict = client_for("report").post(edit, opened(base, title="My title"))
    assert (
        client_for("report").post(edit, {**as_posted(conflict.context["form"]), "resolve-title": "mine"}).status_code
        == 302
    )
    assert tour.revisions.order_by("-number").first().title == "My title"


def test_objectives_merge_row_by_row(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    # They reword the first objective; I reword the second and add a third.
    client_for("manager").post(edit, opened(base, **{"objectives-0-description": "Lead the whole migration"}))
    mine = opened(
        base,
        **{
            "objectives-1-description": "Fund two conferences a year",
            "objectives-TOTAL_FORMS": "3",
            "objectives-2-side": "employee",
            "objectives-2-description": "Mentor a new hire",
            "objectives-2-measure": "",
        },
    )
    conflict = client_for("report").post(edit, mine)
    assert conflict.status_code == 409 and conflict.context["clashes"] == []
    assert client_for("report").post(edit, as_posted(conflict.context["form"])).status_code == 302
    revision = tour.revisions.order_by("-number").first()
    assert [o.description for o in revision.objectives.all()] == [
        "Lead the whole migration",
        "Fund two conferences a year",
        "Mentor a new hire",
    ]


def test_an_objective_both_changed_is_a_choice(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    client_for("manager").post(edit, opened(base, **{"objectives-0-measure": "Their measure"}))
    conflict = client_for("report").post(edit, opened(base, **{"objectives-0-measure": "My measure"}))
    [clash] = conflict.context["clashes"]
    assert clash.key == "objective-0" and "Their measure" in clash.theirs and "My measure" in clash.mine
    data = {**as_posted(conflict.context["form"]), "resolve-objective-0": "theirs"}
    assert client_for("report").post(edit, data).status_code == 302
    assert tour.revisions.order_by("-number").first().objectives.first().measure == "Their measure"


def test_a_second_conflict_merges_again_from_the_newer_base(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    client_for("manager").post(edit, opened(base, mission="Their mission."))
    conflict = client_for("report").post(edit, opened(base, employee_gets="Mine."))
    # Meanwhile HR saves revision 3 on top of 2.
    client_for("hr").post(edit, opened(tour.revisions.get(number=2), title="HR's title"))
    again = client_for("report").post(edit, as_posted(conflict.context["form"]))
    assert again.status_code == 409
    assert client_for("report").post(edit, as_posted(again.context["form"])).status_code == 302
    revision = tour.revisions.order_by("-number").first()
    assert (revision.number, revision.title, revision.mission, revision.employee_gets) == (
        4,
        "HR's title",
        "Their mission.",
        "Mine.",
    )


def test_a_damaged_clash_in_the_form_is_ignored_not_a_500(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    data = opened(tour.current_revision, title="Mine")
    for hostile in ["{", "[]", json.dumps({"key": "objective-99", "label": "x", "mine": "", "theirs": "", "value": 1})]:
        response = client_for("report").post(edit, {**data, "clash": hostile})
        assert response.status_code == 302
        data = opened(tour.revisions.order_by("-number").first(), title=f"Mine {len(hostile)}")


def test_resolve_applies_theirs_to_the_values_and_removes_a_row_i_removed():
    post = {
        "clash": [
            Clash("values", "Values", "A", "B", [7, 9]).carried,
            Clash(
                "objective-1", "Objective 2", "(removed)", "Company: x", ["company", "x", ""], removed_by_me=True
            ).carried,
        ],
        "resolve-values": "theirs",
        "resolve-objective-1": "mine",
        "objectives-1-description": "x",
    }
    query = QueryDict(mutable=True)
    for key, value in post.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    data, clashes = resolve(query)
    assert data.getlist("values") == ["7", "9"] and data["objectives-1-DELETE"] == "on"
    # Applied once, then dropped: the re-rendered form no longer carries them.
    assert clashes == [] and data.getlist("clash") == []


# Review of issue 21: objectives are matched by identity (the id each row carries), not by position; values are
# merged element by element; a choice is applied once.


def rows_form(revision, rows, **changes):
    """The edit form opened on `revision` with its objectives typed as `rows`: (the objective of `revision` the row
    is, or None for a new row; its description). Every row is the employee's, with no measure."""
    data = {key: value for key, value in opened(revision, **changes).items() if not key[11:12].isdigit()}
    data["objectives-TOTAL_FORMS"] = str(len(rows))
    for n, (objective, description) in enumerate(rows):
        data.update({f"objectives-{n}-side": "employee", f"objectives-{n}-description": description})
        data.update({f"objectives-{n}-measure": "", f"objectives-{n}-ref": str(objective.pk) if objective else ""})
    return data


def with_objectives(client_for, tour, *descriptions):
    """HR rewrites the objectives as new rows; returns the revision and its objectives by description."""
    edit = reverse("tours:edit", args=[tour.pk])
    data = rows_form(tour.current_revision, [(None, d) for d in descriptions])
    assert client_for("hr").post(edit, data).status_code == 302
    tour.refresh_from_db()
    revision = tour.current_revision
    return revision, {o.description: o for o in revision.objectives.all()}


def conflict_then_save(client_for, tour, theirs, mine):
    """The manager saves `theirs`, then the employee saves `mine` from the same revision: a 409 with the merge
    (returned), and, when nothing clashes, Save pressed again on the merged form. Returns the conflict page."""
    edit = reverse("tours:edit", args=[tour.pk])
    assert client_for("manager").post(edit, theirs).status_code == 302
    conflict = client_for("report").post(edit, mine)
    assert conflict.status_code == 409
    if not conflict.context["clashes"]:
        assert client_for("report").post(edit, as_posted(conflict.context["form"])).status_code == 302
    return conflict


def saved(tour):
    return [o.description for o in tour.revisions.order_by("-number").first().objectives.all()]


def test_i_delete_one_objective_and_they_edit_another(cast, client_for, tour):
    base, o = with_objectives(client_for, tour, "A", "B", "C")
    theirs = rows_form(base, [(o["A"], "A"), (o["B"], "B"), (o["C"], "Z")])
    mine = rows_form(base, [(o["A"], "A"), (o["C"], "C")])
    assert conflict_then_save(client_for, tour, theirs, mine).context["clashes"] == []
    assert saved(tour) == ["A", "Z"]


def test_they_insert_an_objective_at_the_top_and_i_edit_one(cast, client_for, tour):
    base, o = with_objectives(client_for, tour, "A", "B", "C")
    theirs = rows_form(base, [(None, "X"), (o["A"], "A"), (o["B"], "B"), (o["C"], "C")])
    mine = rows_form(base, [(o["A"], "A"), (o["B"], "Y"), (o["C"], "C")])
    assert conflict_then_save(client_for, tour, theirs, mine).context["clashes"] == []
    assert saved(tour) == ["X", "A", "Y", "C"]


def test_we_both_add_an_objective_and_both_are_kept_theirs_first(cast, client_for, tour):
    base, o = with_objectives(client_for, tour, "A")
    theirs = rows_form(base, [(o["A"], "A"), (None, "T")])
    mine = rows_form(base, [(o["A"], "A"), (None, "M")])
    assert conflict_then_save(client_for, tour, theirs, mine).context["clashes"] == []
    assert saved(tour) == ["A", "T", "M"]


def test_a_reorder_on_their_side_keeps_my_edit_on_the_objective_i_edited(cast, client_for, tour):
    base, o = with_objectives(client_for, tour, "A", "B", "C")
    theirs = rows_form(base, [(o["C"], "C"), (o["A"], "A"), (o["B"], "B")])
    mine = rows_form(base, [(o["A"], "A2"), (o["B"], "B"), (o["C"], "C")])
    assert conflict_then_save(client_for, tour, theirs, mine).context["clashes"] == []
    assert saved(tour) == ["C", "A2", "B"]


def test_an_objective_i_deleted_and_they_changed_is_a_choice(cast, client_for, tour):
    base, o = with_objectives(client_for, tour, "A", "B", "C")
    theirs = rows_form(base, [(o["A"], "A"), (o["B"], "B, reworded"), (o["C"], "C")])
    mine = rows_form(base, [(o["A"], "A"), (o["C"], "C2")])
    conflict = conflict_then_save(client_for, tour, theirs, mine)
    [clash] = conflict.context["clashes"]
    assert (clash.key, clash.mine, clash.removed_by_me) == ("objective-1", "(removed)", True)
    assert "B, reworded" in clash.theirs
    data = {**as_posted(conflict.context["form"]), "resolve-objective-1": "mine"}
    assert client_for("report").post(reverse("tours:edit", args=[tour.pk]), data).status_code == 302
    assert saved(tour) == ["A", "C2"]


def test_an_objective_they_deleted_and_i_changed_is_a_choice(cast, client_for, tour):
    base, o = with_objectives(client_for, tour, "A", "B")
    theirs = rows_form(base, [(o["A"], "A")])
    mine = rows_form(base, [(o["A"], "A"), (o["B"], "B, mine")])
    conflict = conflict_then_save(client_for, tour, theirs, mine)
    [clash] = conflict.context["clashes"]
    assert (clash.key, clash.theirs) == ("objective-1", "(removed)") and "B, mine" in clash.mine
    data = {**as_posted(conflict.context["form"]), "resolve-objective-1": "theirs"}
    assert client_for("report").post(reverse("tours:edit", args=[tour.pk]), data).status_code == 302
    assert saved(tour) == ["A"]


def test_company_values_merge_element_by_element_never_a_clash(cast, client_for, tour):
    from alliance.models import CompanyValue, Organization

    company = Organization.objects.create()
    v1, v2, v3, v4 = (
        CompanyValue.objects.create(organization=company, name=n) for n in ("One", "Two", "Three", "Four")
    )
    edit = reverse("tours:edit", args=[tour.pk])
    base_data = opened(tour.current_revision)
    assert client_for("hr").post(edit, {**base_data, "values": [v1.pk, v2.pk]}).status_code == 302
    tour.refresh_from_db()
    base = tour.current_revision
    theirs = {**opened(base), "values": [v1.pk, v2.pk, v4.pk]}  # they add Four
    mine = {**opened(base), "values": [v2.pk, v3.pk]}  # I remove One and add Three
    assert conflict_then_save(client_for, tour, theirs, mine).context["clashes"] == []
    newest = tour.revisions.order_by("-number").first()
    assert {v.name for v in newest.values.all()} == {"Two", "Three", "Four"}


def rendered(form, formset):
    """What a browser sends back from a re-rendered (unbound) form and formset, unchanged."""
    data = {}
    for bound in [*form, *formset.management_form, *(field for row in formset.forms for field in row)]:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = ["on"]
            continue
        values = value if isinstance(value, list | tuple) else [value]
        data[bound.html_name] = ["" if v is None else str(getattr(v, "pk", v)) for v in values]
    return data


def test_keep_theirs_is_applied_once_so_a_later_edit_of_that_term_is_kept(cast, client_for, tour):
    edit = reverse("tours:edit", args=[tour.pk])
    base = tour.current_revision
    client_for("manager").post(edit, opened(base, title="Their title"))
    conflict = client_for("report").post(edit, opened(base, title="My title"))
    [clash] = conflict.context["clashes"]
    # I choose theirs and add an objective row (nothing saved): the form now simply holds their title.
    data = {**as_posted(conflict.context["form"]), "resolve-title": "theirs", "add_objective": "1"}
    added = client_for("report").post(edit, data)
    assert added.status_code == 200 and added.context["clashes"] == []
    assert added.context["form"]["title"].value() == "Their title"
    assert 'name="clash"' not in added.text and 'name="resolve-title"' not in added.text
    # Then I edit that title further, and save: my edit is what is saved, not their title re-applied.
    again = rendered(added.context["form"], added.context["formset"])
    again["title"] = ["Their title, and mine"]
    again["resolve-title"] = ["theirs"]  # a stale radio value a browser might still send: ignored, no clash
    response = client_for("report").post(edit, again)
    assert response.status_code == 302, (response.context["form"].errors, response.context["formset"].errors, again)
    assert tour.revisions.order_by("-number").first().title == "Their title, and mine"
