"""Hostile input to the people forms, the company page and the CSV import."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance import imports
from alliance.models import CompanyValue, Organization
from tests.fuzz.hostile import anything, get, huge_ids, isolated, payloads, post, value_for


def person(cast, **overrides):
    data = {
        "first_name": "Nia",
        "last_name": "Quist",
        "email": "nia@test.example",
        "employee_number": "N-1",
        "job_title": "Analyst",
        "team": str(cast.report.team_id),
        "manager_ref": cast.manager.employee_number,
        "hire_date": "2024-05-06",
        "departure_date": "",
        "core_values": "Candour",
        "aspirations": "Lead a team",
        "post_company_goal": "",
    }
    return data | overrides


@settings(max_examples=50)
@given(st.data())
def test_person_create(cast, data):
    with isolated():
        payload = data.draw(payloads(person(cast), ids=[cast.other.team_id, 0]))
        post(cast.hr, reverse("people:create"), payload)


@settings(max_examples=40)
@given(st.data())
def test_person_edit(cast, data):
    """HR edits the report: a manager below them (a loop), someone else's email or number."""
    valid = person(cast, email=cast.report.user.email, employee_number=cast.report.employee_number)
    hostile_refs = st.sampled_from([cast.report_report.employee_number, cast.report.employee_number,
                                    cast.other.user.email, cast.alumnus.employee_number])  # fmt: skip
    with isolated():
        payload = data.draw(payloads(valid, ids=[cast.other.team_id]))
        if data.draw(st.booleans()):
            payload["manager_ref"] = data.draw(hostile_refs)
        if data.draw(st.booleans()):
            payload["email"] = cast.other.user.email
        post(cast.hr, reverse("people:edit", args=[cast.report.pk]), payload)


@pytest.fixture
def value(db):
    return CompanyValue.objects.create(organization=Organization.load(), name="Candour", position=1)


@settings(max_examples=30)
@given(st.data())
def test_company_edit(cast, value, data):
    valid = {
        "name": "Northwind",
        "mission": "Build things",
        "values-TOTAL_FORMS": "1",
        "values-INITIAL_FORMS": "1",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-id": str(value.pk),
        "values-0-name": "Candour",
        "values-0-description": "Say it",
        "values-0-position": "1",
    }
    with isolated():
        payload = data.draw(payloads(valid, ids=[value.pk + 1000, 0], extra=["values-0-DELETE"]))
        post(cast.hr, reverse("company_edit"), payload)


@settings(max_examples=30)
@given(st.data())
def test_people_filter(cast, data):
    valid = {"q": "Rita", "team": str(cast.report.team_id), "manager": cast.manager.employee_number,
             "status": "active", "page": "1"}  # fmt: skip
    with isolated():
        role = data.draw(st.sampled_from([cast.hr, cast.manager]))
        get(role, reverse("people:list"), data.draw(payloads(valid, ids=[cast.other.team_id])))


@settings(max_examples=40)
@given(st.data())
def test_person_search(cast, data):
    """The picker's suggestions: any query, for anyone, answers JSON or a refusal, never a 500."""
    valid = {"q": "Ri", "active": "1"}
    with isolated():
        role = data.draw(st.sampled_from([cast.hr, cast.manager, cast.report_report, cast.alumnus]))
        allowed = (403,) if role == cast.alumnus else (200,)
        get(role, reverse("people:search"), data.draw(payloads(valid)), allowed=allowed)


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def csv_files(draw, cast):
    """A CSV that is mostly right: the full or a shuffled header (or hostile names), rows built from
    valid ones with hostile cells; or raw text; or bytes that are not UTF-8."""
    header = draw(
        st.one_of(
            st.just(imports.COLUMNS),
            st.permutations(imports.COLUMNS),
            st.lists(st.one_of(st.sampled_from(imports.COLUMNS), anything), max_size=14),
        )
    )
    rows = []
    refs = [cast.manager.employee_number, cast.report.user.email, "N-1", "N-2", cast.other.employee_number]
    for number in range(draw(st.integers(0, 4))):
        valid = {
            "employee_number": draw(st.sampled_from(["N-1", "N-2", cast.other.employee_number])),
            "first_name": "Nia",
            "last_name": f"Quist{number}",
            "email": draw(st.sampled_from([f"n{number}@test.example", cast.report.user.email])),
            "job_title": "Analyst",
            "team": "Engineering",
            "manager": draw(st.sampled_from(refs)),
            "hire_date": "2024-05-06",
            "departure_date": "",
            "core_values": "",
            "aspirations": "",
            "post_company_goal": "",
        }
        row = draw(payloads(valid))
        rows.append([row.get(column, "") if isinstance(row.get(column, ""), str) else "x" for column in header])
    text = _csv(header, rows)
    return draw(
        st.one_of(
            st.just(text.encode()),
            st.just(("\ufeff" + text).encode()),
            value_for("x").map(lambda s: s.encode("utf-8", "surrogatepass")),
            st.binary(max_size=200),
        )
    )


@settings(max_examples=60)
@given(st.data())
def test_csv_import(cast, data):
    """Upload writes nothing; when the preview is clean, applying it writes it all or nothing."""
    with isolated():
        content = data.draw(csv_files(cast))
        upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
        response = post(cast.hr, reverse("people:import"), {"file": upload}, preview=True)
        assert response.status_code == 200
        plan = response.context.get("plan")
        if plan is not None and plan.ok:
            confirmed = {"job": response.context["apply_form"]["job"].value()}
            post(cast.hr, reverse("people:import_apply"), confirmed)


@settings(max_examples=30)
@given(content=st.one_of(anything, st.lists(anything, min_size=2, max_size=3)))
def test_csv_apply_with_hostile_content(cast, content):
    """The confirmation names the stored preview: anything may come in its place."""
    with isolated():
        post(cast.hr, reverse("people:import_apply"), {"job": content})


@settings(max_examples=20)
@given(pk=huge_ids)
def test_person_urls_with_hostile_ids(cast, pk):
    for name in ("people:detail", "people:edit"):
        with isolated():
            get(cast.manager, reverse(name, args=[pk]), allowed=(200, 403, 404))
        with isolated():
            post(cast.manager, reverse("people:edit", args=[pk]), {"first_name": "x"})


@settings(max_examples=20)
@given(st.data())
def test_account_mail_preference(cast, data):
    """The account page's one field: any value is saved as a choice or refused with a form error."""
    with isolated():
        role = data.draw(st.sampled_from([cast.hr, cast.manager, cast.alumnus]))
        post(role, reverse("account_mail"), data.draw(payloads({"mail": "daily"})))
