"""The audit trail: changes made through the app's pages show on HR's audit page with who and what."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import Employee, Team
from alumni.models import AlumniProfile, Departure, Referral
from networks.models import Contribution
from tests.alumni.test_profiles import profile_post
from tests.factories import EmployeeFactory, make_tour
from tours.models import Tour


def audit_text(client, **params):
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.text)


def row_about(text, label):
    """The table row (as text) whose object cell contains `label`: the newest one."""
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [r for r in body.split("<tr>") if label in r]
    assert rows, f"no row about {label}"
    return rows[0]


def test_hr_edits_a_person_and_the_trail_shows_who_and_old_to_new(client_for, cast):
    data = {
        "first_name": "Rita",
        "last_name": "Ortiz",
        "email": "rita.new@test.example",
        "employee_number": cast.report.employee_number,
        "job_title": "Staff engineer",
        "team": Team.objects.get(name="Sales").pk,
        "hire_date": "2020-01-06",
        "manager_ref": cast.other.employee_number,
    }
    hr = client_for("hr")
    assert hr.post(reverse("people:edit", args=[cast.report.pk]), data).status_code == 302
    row = row_about(audit_text(hr, type="person"), "Rita Ortiz")
    assert "Hana Rees" in row and "Changed" in row
    assert "Engineer</span> → Staff engineer" in row
    assert "Mo Nagy</span> → Oskar Tamm" in row  # the manager, named
    assert "Engineering</span> → Sales" in row
    signin = row_about(audit_text(hr, type="signin"), "rita.new@test.example")
    assert "report@test.example</span> → rita.new@test.example" in signin and "Hana Rees" in signin
    assert "password" not in signin.lower()
    # The person's page shows its history to HR only.
    page = hr.get(reverse("people:detail", args=[cast.report.pk])).text
    assert "History" in page and "Staff engineer" in page
    assert "(HR only)" not in client_for("manager").get(reverse("people:detail", args=[cast.report.pk])).text


def test_signing_a_tour_is_recorded_with_the_signer(client_for, cast):
    tour = make_tour(cast.report_report, state="proposed")
    client_for("report_report").post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    client_for("report").post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    assert Tour.objects.get(pk=tour.pk).state == "agreed"
    hr = client_for("hr")
    row = row_about(audit_text(hr, type="tour", object=tour.pk), "Grow the platform team")
    assert "Rita Ortiz" in row and "Proposed</span> → Agreed" in row
    assert "revision 1" in row  # the agreed revision, named
    assert "History" in hr.get(reverse("tours:detail", args=[tour.pk])).text
    assert "(HR only)" not in client_for("report").get(reverse("tours:detail", args=[tour.pk])).text


def test_editing_an_insight_is_recorded(client_for, cast):
    c = Contribution.objects.create(
        contributor=cast.report_report, kind="market", title="Prices up", insight="x", visibility="managers"
    )
    post = {"kind": "other", "title": "Prices way up", "insight": "x", "visibility": "hr"}
    assert client_for("report_report").post(reverse("networks:edit", args=[c.pk]), post).status_code == 302
    hr = client_for("hr")
    row = row_about(audit_text(hr, type="insight"), "Prices way up")
    assert "Ravi Rao" in row and "Prices up</span> → Prices way up" in row and "Managers and HR</span> → HR only" in row
    assert "Prices way up" in hr.get(reverse("networks:detail", args=[c.pk])).text.split("History")[1]


def test_alumnus_profile_edit_is_recorded_and_filterable_by_person(client_for, cast):
    assert client_for("alumnus").post(reverse("alumni:me_edit"), profile_post()).status_code == 302
    hr = client_for("hr")
    text = audit_text(hr, person=cast.alumnus.employee_number)
    row = row_about(text, "Alumni profile of Alma Udo")
    assert "Alma Udo" in row and "Globex</span> → Initech" in row and "Lisbon" in row
    assert "Rita Ortiz" not in text  # only changes about Alma
    assert "Initech" in hr.get(reverse("alumni:detail", args=[cast.alumnus.alumni_profile.pk])).text
    # Changes made by someone: the alumnus made this one, HR made none of Alma's.
    assert "Initech" in audit_text(hr, by=cast.alumnus.user.email)
    assert "Initech" not in audit_text(hr, by=cast.hr.employee_number)


def test_unknown_filters_say_so_and_show_nothing(client_for, cast):
    text = audit_text(client_for("hr"), person="nobody@nowhere.example")
    assert "No one matches “nobody@nowhere.example”." in text and "No changes match." in text


@pytest.mark.parametrize("role", ["manager", "report", "report_report", "other", "alumnus"])
def test_only_hr_sees_the_audit_trail(client_for, role):
    assert client_for(role).get(reverse("audit:list")).status_code == 403


def test_erasure_purges_the_persons_history(client_for, cast):
    alma = cast.alumnus
    client_for("alumnus").post(reverse("alumni:me_edit"), profile_post(note="Alma Udo, call me"))
    Departure.objects.create(
        employee=alma,
        departure_date=alma.departure_date,
        reason="other",
        exit_notes="Alma said",
        recorded_by=cast.hr.user,
    )
    Contribution.objects.create(contributor=alma, kind="market", title="t", insight="i", source="Alma's friend")
    referral = Referral.objects.create(referrer=alma, candidate_name="Cara", contact="cara@example.com")
    assert AlumniProfile.history.filter(employee_id=alma.pk, note__contains="Alma").exists()  # before erasure
    assert client_for("alumnus").post(reverse("alumni:me_delete"), {"confirm": "DELETE"}).status_code == 200
    assert not AlumniProfile.history.filter(employee_id=alma.pk).exists()
    assert not Departure.history.filter(employee_id=alma.pk).exists()
    assert not Contribution.history.filter(contributor_id=alma.pk).exists()
    assert not Referral.history.filter(referrer_id=alma.pk).exists()
    assert Referral.history.filter(id=referral.pk).exists()  # the candidate's referral stays for HR
    assert not type(alma.user).history.filter(id=alma.user_id).exists()
    # One row remains: the anonymised record, saying when the erasure happened.
    [row] = Employee.history.filter(id=alma.pk)
    assert row.first_name == "Former employee" and row.history_change_reason
    text = audit_text(client_for("hr"))
    assert "Alma" not in text and "alumnus@test.example" not in text and "erased at the person" in text


def _make_changes(cast, n):
    """n changes of every kind with a person, by a signed-in HR user through the models."""
    from simple_history.models import HistoricalRecords

    for i in range(n):
        e = EmployeeFactory(manager=cast.manager, team=cast.manager.team)
        e.job_title = f"Title {i}"
        e.save()
        Contribution.objects.create(contributor=e, kind="market", title=f"I{i}", insight="x")
        Referral.objects.create(referrer=cast.alumnus, candidate_name=f"C{i}", contact="c@example.com")
        make_tour(e, state="proposed" if i % 2 else "agreed", start=datetime.date.today() - datetime.timedelta(days=9))
    assert not hasattr(HistoricalRecords.context, "request")


@pytest.mark.parametrize("kind", ["", "person", "signin", "tour", "insight", "referral"])
def test_the_audit_page_does_not_query_per_row(client_for, cast, kind):
    """One query pages through every history table; then one per object type on the page and one per
    kind of related object named. More rows (a full page of 25) never mean more queries."""
    hr = client_for("hr")
    audit_text(hr)  # the session's expiry is pushed forward once a minute: not inside the counts
    _make_changes(cast, 2)
    with CaptureQueriesContext(connection) as small:
        audit_text(hr, type=kind)
    _make_changes(cast, 30)
    with CaptureQueriesContext(connection) as large:
        text = audit_text(hr, type=kind)
    assert text.count("<tr>") == 26  # the header and a full page
    if kind:
        assert len(large) == len(small)
    else:  # the small page had every object type on it; a full page of the newest has fewer
        assert len(large) <= len(small)
    assert len(large) <= 25, [q["sql"][:120] for q in large]


def test_history_sections_do_not_query_per_row(client_for, cast):
    hr = client_for("hr")
    audit_text(hr)  # the session's expiry is pushed forward once a minute: not inside the counts
    e = cast.report_report
    counts = []
    for n in (12, 24):  # both past the section's ten rows
        for i in range(n):
            e.job_title = f"Title {n}-{i}"
            e.save()
        with CaptureQueriesContext(connection) as queries:
            assert hr.get(reverse("people:detail", args=[e.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
