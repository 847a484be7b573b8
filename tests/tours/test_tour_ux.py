"""Issue 13: the tour workflow as people meet it (signing an amendment, edit conflicts, objectives)."""

import datetime
import re

from django.urls import reverse

from tests.factories import make_tour
from tests.tours.test_workflow import terms_post
from tours.models import Signature


def _amend(cast, client_for, **changes):
    """An agreed tour of the report, then the manager proposes revision 2 with `changes`."""
    tour = make_tour(cast.report, state="agreed", start=datetime.date.today() - datetime.timedelta(days=100))
    data = terms_post(tour.start_date, tour.end_date, base_revision=1, **changes)
    assert client_for("manager").post(reverse("tours:edit", args=[tour.pk]), data).status_code == 302
    return tour


def test_the_sign_button_stands_under_the_amendment_it_signs(cast, client_for):
    tour = _amend(cast, client_for, mission="Run the platform as a product.")
    page = client_for("report").get(tour.get_absolute_url()).text
    sign = page.index("Sign revision 2 as employee")
    # The nearest terms above the button are revision 2's, with its mission.
    above = page[:sign]
    nearest = max(above.rfind("revision 1)"), above.rfind("revision 2)"))
    assert above[nearest:].startswith("revision 2)")
    assert "Run the platform as a product." in above[nearest:]
    # The terms in force are there too, after the button and named as such.
    below = page[sign:]
    assert "The agreed terms in force (revision 1)" in below and "Make the platform self-service." in below
    assert re.search(r"compare/\?a=1&amp;b=2", page)


def test_signing_the_amendment_puts_it_in_force(cast, client_for):
    tour = _amend(cast, client_for, mission="Run the platform as a product.")
    for role in ("report", "manager"):
        client_for(role).post(reverse("tours:sign", args=[tour.pk]), {"revision": 2})
    tour.refresh_from_db()
    assert tour.agreed_revision.number == 2 and Signature.objects.filter(revision__number=2).count() == 2
    page = client_for("report").get(tour.get_absolute_url()).text
    assert "The agreed terms (revision 2)" in page and "Sign revision" not in page


def _hidden(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_an_edit_conflict_shows_their_changes_keeps_mine_and_saves_on_top(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    edit = reverse("tours:edit", args=[tour.pk])
    theirs = terms_post(tour.start_date, tour.end_date, title="Their new title", base_revision=1)
    assert client_for("manager").post(edit, theirs).status_code == 302
    mine = terms_post(tour.start_date, tour.end_date, mission="My own mission.", base_revision=1)
    conflict = client_for("report").post(edit, mine)
    assert conflict.status_code == 409
    page = conflict.text
    assert "saved revision 2" in page
    # Their changes, next to mine: the revision they started from against the newest one.
    assert "Their new title" in page and "diff-new" in page
    # My input is still in the form, now based on the newest revision.
    assert "My own mission." in page and _hidden(page, "base_revision") == "2"
    # Saving the re-rendered form as it stands keeps both (issue 21: it used to revert their title).
    merged = conflict.context["form"].data
    again = client_for("report").post(edit, {key: merged.getlist(key) for key in merged})
    assert again.status_code == 302
    tour.refresh_from_db()
    assert tour.current_revision.number == 3 and tour.current_revision.mission == "My own mission."
    assert tour.current_revision.title == "Their new title"


def test_add_objective_adds_a_row_without_saving(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    edit = reverse("tours:edit", args=[tour.pk])
    data = terms_post(tour.start_date, tour.end_date, title="Half-typed title", base_revision=1)
    response = client_for("manager").post(edit, {**data, "add_objective": "1"})
    assert response.status_code == 200
    assert tour.revisions.count() == 1  # nothing saved, nothing voided
    page = response.text
    assert _hidden(page, "objectives-TOTAL_FORMS") == "3" and 'name="objectives-2-description"' in page
    assert "Half-typed title" in page and "This field is required" not in page
    # A second click adds another row even while the first new one is still empty.
    data = {
        **data,
        "objectives-TOTAL_FORMS": "3",
        "objectives-INITIAL_FORMS": _hidden(page, "objectives-INITIAL_FORMS"),
    }
    page = client_for("manager").post(edit, {**data, "add_objective": "1"}).text
    assert _hidden(page, "objectives-TOTAL_FORMS") == "4"
    # Then save, with the third row filled and the fourth left empty.
    data.update(
        {"objectives-TOTAL_FORMS": "4", "objectives-2-side": "employee", "objectives-2-description": "Mentor two"}
    )
    data["objectives-3-side"] = "employee"  # as the browser sends an untouched row
    assert client_for("manager").post(edit, data).status_code == 302
    tour.refresh_from_db()
    assert [o.description for o in tour.current_revision.objectives.all()][-1] == "Mentor two"
    assert tour.current_revision.objectives.count() == 3


def test_add_objective_works_on_a_new_tour_before_its_first_save(cast, client_for):
    today = datetime.date.today()
    data = terms_post(today, today + datetime.timedelta(days=3 * 365))
    step = {"employee": cast.report.pk, "type": "transformational", "programme": ""}
    response = client_for("manager").post(reverse("tours:create"), {**step, **data, "add_objective": "1"})
    assert response.status_code == 200 and _hidden(response.text, "objectives-TOTAL_FORMS") == "3"
    assert not cast.report.tours.exists()


def test_a_tour_needs_at_least_one_objective(cast, client_for):
    tour = make_tour(cast.report)
    data = terms_post(tour.start_date, tour.end_date, base_revision=1)
    for row in ("0", "1"):
        data.update(
            {f"objectives-{row}-side": "employee", f"objectives-{row}-description": "", f"objectives-{row}-measure": ""}
        )
    response = client_for("manager").post(reverse("tours:edit", args=[tour.pk]), data)
    assert response.status_code == 200 and "at least one objective" in response.text
    assert tour.revisions.count() == 1


def test_saving_unchanged_terms_keeps_the_signatures(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    client_for("report").post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    same = terms_post(
        tour.start_date,
        tour.end_date,
        base_revision=1,
        **{"objectives-1-description": "Fund a conference a year", "objectives-1-measure": "Budget approved"},
    )
    response = client_for("manager").post(reverse("tours:edit", args=[tour.pk]), same, follow=True)
    assert "Nothing changed" in response.text
    tour.refresh_from_db()
    assert tour.current_revision.number == 1 and tour.current_revision.signatures.count() == 1


def test_the_form_says_what_saving_does_in_each_state(cast, client_for):
    client = client_for("manager")
    draft = make_tour(cast.report)
    page = client.get(reverse("tours:edit", args=[draft.pk])).text
    assert "nobody has signed it yet, so saving voids nothing" in page and "Save the draft" in page
    proposed = make_tour(cast.report_report, state="proposed", author=cast.report.user)
    page = client_for("report").get(reverse("tours:edit", args=[proposed.pk])).text
    assert "Save and send revision 2" in page
    agreed = make_tour(cast.report, state="agreed", start=datetime.date.today() + datetime.timedelta(days=2000))
    assert "Propose this amendment" in client.get(reverse("tours:edit", args=[agreed.pk])).text


def test_add_objective_with_broken_input_redisplays_the_form(cast, client_for):
    tour = make_tour(cast.report)
    hostile = {
        "add_objective": "1",
        "start_date": "9999-99-99",
        "values": ["99999999999999999999999", "x"],
        "checkin_months": "-1",
        "objectives-TOTAL_FORMS": "abc",
        "objectives-INITIAL_FORMS": "5000",
    }
    response = client_for("manager").post(reverse("tours:edit", args=[tour.pk]), hostile)
    assert response.status_code == 200 and 'name="objectives-0-description"' in response.text
    assert tour.revisions.count() == 1
