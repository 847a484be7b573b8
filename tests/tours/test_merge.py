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
    assert [c.choice for c in clashes] == ["theirs", "mine"]
