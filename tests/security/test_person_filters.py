"""Person filters match only people the viewer may see, and report filters narrow to no fewer than five people
for anyone but HR (issue 22: `/tours/?manager=<id>`, the people directory and the reports told any signed-in
person whether an id existed, and the alumni report could be narrowed to a single unlisted alumna)."""

import pytest
from django.urls import reverse

from tests.factories import EmployeeFactory

LISTS = ["tours:index", "people:list", "tours:report_at_risk", "tours:report_coverage", "alumni:report"]


def refused(response, ref):
    """What a filter answer says, with the typed reference taken out: its status, errors and rows."""
    form = response.context["form"]
    errors = {name: [e.replace(ref, "…") for e in errs] for name, errs in form.errors.items()}
    rows = response.context.get("page") or response.context.get("rows")
    return response.status_code, errors, len(list(rows)) if rows is not None else None


@pytest.mark.parametrize("url", LISTS)
def test_an_unknown_and_a_forbidden_manager_look_the_same(cast, client_for, url):
    manager = client_for("manager")  # sees Rita and Ravi below him, not Oskar in Sales
    forbidden, unknown = cast.other.employee_number, "NO-SUCH-0042"
    answers = [refused(manager.get(reverse(url), {"manager": ref}), ref) for ref in (forbidden, unknown)]
    assert answers[0] == answers[1]
    assert answers[0][1] == {"manager": ["No one matches “…”."]}
    # The same filter by someone the viewer may see goes through (the refusal was about visibility).
    assert (
        not client_for("manager")
        .get(reverse(url), {"manager": cast.report.employee_number})
        .context["form"]
        .errors.get("manager")
    )
    # HR sees everyone: Oskar is found.
    assert not client_for("hr").get(reverse(url), {"manager": forbidden}).context["form"].errors.get("manager")


def test_a_forbidden_persons_email_is_not_found_either(cast, client_for):
    response = client_for("report").get(reverse("tours:index"), {"manager": cast.other.user.email})
    assert response.context["form"].errors == {"manager": [f"No one matches “{cast.other.user.email}”."]}


@pytest.mark.parametrize("url", ["tours:report_coverage", "alumni:report", "tours:report_outcomes", "networks:report"])
def test_a_report_narrowed_below_five_people_shows_no_figures_except_to_hr(cast, client_for, url):
    # Mo's subtree in Engineering: Rita, Ravi and the alumna Alma. A team filter narrows his report to them.
    team = cast.manager.team.pk
    response = client_for("manager").get(reverse(url), {"team": team})
    assert response.status_code == 200
    assert "fewer than 5 people" in response.text and response.context["rows"] == []
    csv = client_for("manager").get(reverse(url), {"team": team, "format": "csv"})
    assert len(b"".join(csv.streaming_content).decode().strip().splitlines()) == 1  # the header alone
    assert "fewer than 5 people" not in client_for("hr").get(reverse(url), {"team": team}).text
    # With five people in the group, the manager sees figures too.
    for n in range(3):
        EmployeeFactory(team=cast.manager.team, manager=cast.report, first_name=f"Extra{n}")
    assert "fewer than 5 people" not in client_for("manager").get(reverse(url), {"team": team}).text
