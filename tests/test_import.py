import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from alliance import imports, services
from alliance.models import Employee, ImportJob, SignInLink, Team, User

HEADER = "employee_number,first_name,last_name,email,job_title,team,manager,hire_date\n"
# The manager (S-1) comes after their report: references may point further down the file.
GOOD = HEADER + (
    "S-2,Tom,Reyes,tom@example.org,Engineer,Platform,S-1,2021-01-04\n"
    "S-1,Gia,Okafor,gia@example.org,VP,Platform,,2018-03-01\n"
    "S-3,Mei,Lin,mei@example.org,Engineer,Platform,tom@example.org,2023-01-09\n"
)


def upload(client, text, name="people.csv"):
    return client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def apply(client, text):
    """Preview, then confirm the stored preview; the task runs inside the request (ImmediateBackend)."""
    preview = upload(client, text)
    form = preview.context["apply_form"]
    if form is None:
        return preview
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("people:import_apply"), {"job": form.initial["job"].pk})


def test_preview_writes_nothing_and_apply_writes_everything(client_for, cast):
    client = client_for("hr")
    before = Employee.objects.count()
    preview = upload(client, GOOD)
    assert preview.status_code == 200
    assert preview.context["plan"].ok
    assert preview.context["plan"].counts == {"create": 3, "update": 0, "unchanged": 0}
    assert Employee.objects.count() == before

    response = apply(client, GOOD)
    assert response.status_code == 302
    assert Employee.objects.count() == before + 3
    mei = Employee.objects.get(employee_number="S-3")
    assert mei.manager.employee_number == "S-2"
    assert mei.manager.manager.employee_number == "S-1"
    assert mei.team == Team.objects.get(name="Platform")
    assert mei.user.email == "mei@example.org" and not mei.user.has_usable_password()


def test_importing_the_same_file_twice_changes_nothing(client_for, cast):
    client = client_for("hr")
    apply(client, GOOD)
    snapshot = list(Employee.objects.order_by("pk").values())
    preview = upload(client, GOOD)
    assert preview.context["plan"].counts == {"create": 0, "update": 0, "unchanged": 3}
    apply(client, GOOD)
    assert list(Employee.objects.order_by("pk").values()) == snapshot


def test_reimport_updates_changed_rows_only(client_for, cast):
    client = client_for("hr")
    apply(client, GOOD)
    changed = GOOD.replace("Mei,Lin,mei@example.org,Engineer", "Mei,Lin,mei@example.org,Senior Engineer")
    preview = upload(client, changed)
    assert preview.context["plan"].counts == {"create": 0, "update": 1, "unchanged": 2}
    apply(client, changed)
    assert Employee.objects.get(employee_number="S-3").job_title == "Senior Engineer"


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ("S-9,,Nobody,n@example.org,,,,2020-01-01", "first_name is missing."),
        ("S-9,Ann,Lee,ann@example.org,,,S-404,2020-01-01", "manager “S-404” is not in the file"),
        ("S-1,Ann,Lee,ann@example.org,,,,2020-01-01", "employee_number S-1 is also on line"),
        ("S-9,Ann,Lee,ann@example.org,,,,01/02/2020", "hire_date “01/02/2020” is not a date"),
        ("S-9,Ann,Lee,not-an-email,,,,2020-01-01", "is not a valid email address"),
        ("S-9,Ann,Lee,gia@example.org,,,,2020-01-01", "email gia@example.org is also on line"),
        ("S-9,Ann,Lee,ann@example.org,,,S-9,2020-01-01", "A person cannot be their own manager."),
        ("S-9,Ann,Lee,ann@example.org,,,,2020-01-01,extra", "more values than the header"),
    ],
)
def test_each_bad_row_is_reported_and_nothing_is_written(client_for, cast, bad_line, problem):
    client = client_for("hr")
    text = GOOD + bad_line + "\n"
    before = Employee.objects.count()
    preview = upload(client, text)
    plan = preview.context["plan"]
    assert not plan.ok
    assert any(problem in p for row in plan.rows for p in row.problems), [r.problems for r in plan.rows]
    assert problem.split("“")[0] in preview.content.decode()
    assert preview.context["apply_form"] is None  # nothing stored, nothing to confirm
    assert not ImportJob.objects.exists()
    # Even a forged confirmation writes nothing.
    response = client.post(reverse("people:import_apply"), {"job": 1})
    assert response.status_code == 302 and response.url == reverse("people:import")
    assert Employee.objects.count() == before


def test_a_manager_cycle_is_reported(client_for, cast):
    text = HEADER + "C-1,A,A,a@example.org,,,C-2,2020-01-01\nC-2,B,B,b@example.org,,,C-1,2020-01-01\n"
    plan = upload(client_for("hr"), text).context["plan"]
    assert all(any(p.startswith("Manager cycle") for p in row.problems) for row in plan.rows)


def test_a_cycle_through_existing_people_is_reported(client_for, cast):
    # In the database Rita reports to Mo; the file makes Mo report to Rita.
    text = (
        HEADER
        + f"{cast.manager.employee_number},Mo,Nagy,manager@test.example,,,{cast.report.employee_number},2020-01-06\n"
    )
    plan = upload(client_for("hr"), text).context["plan"]
    assert any(p.startswith("Manager cycle") for p in plan.rows[0].problems)


def test_an_email_owned_by_someone_else_is_refused(client_for, cast):
    text = HEADER + "S-9,Ann,Lee,other@test.example,,,,2020-01-01\n"
    plan = upload(client_for("hr"), text).context["plan"]
    assert (
        f"email other@test.example belongs to employee {cast.other.employee_number} already." in plan.rows[0].problems
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The submitted file is empty."),
        (HEADER.encode(), "The file has a header but no people."),
        (b"employee_number,first_name\nS-1,Ann\n", "Missing column(s): last_name, email, hire_date."),
        (GOOD.replace("job_title", "jobtitle").encode(), "Unknown column(s): jobtitle."),
        (
            "employee_number,first_name,last_name,email,hire_date\nS-1,Zoë,L,z@e.org,2020-01-01\n".encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_file_level_problems_get_a_clear_message(client_for, cast, content, problem):
    client = client_for("hr")
    response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 200
    assert problem in response.content.decode()


def test_the_sample_file_in_the_repo_imports_cleanly(client_for, cast):
    text = (Path(__file__).parent.parent / "docs" / "employees-sample.csv").read_text()
    client = client_for("hr")
    assert upload(client, text).context["plan"].ok
    apply(client, text)
    assert User.objects.filter(email="tomas.reyes@example.org").exists()


def test_only_hr_can_apply_an_import(client_for, cast):
    job = upload(client_for("hr"), GOOD).context["apply_form"].initial["job"]
    response = client_for("manager").post(reverse("people:import_apply"), {"job": job.pk})
    assert response.status_code == 403
    assert not Employee.objects.filter(employee_number="S-1").exists()
    hr = client_for("hr")  # the same test client, signed in again
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert hr.post(reverse("people:import_apply"), {"job": job.pk}).status_code == 302
    assert Employee.objects.filter(employee_number="S-1").exists()


def test_apply_is_post_only(client_for, cast):
    assert client_for("hr").get(reverse("people:import_apply")).status_code == 405


def test_a_nul_byte_is_refused_at_the_preview(client_for, cast):
    text = GOOD.replace("Mei,Lin", "Mei\x00,Lin")
    response = upload(client_for("hr"), text)
    assert response.status_code == 200
    assert "NUL character (line 4)" in response.content.decode()
    assert response.context["apply_form"] is None and not ImportJob.objects.exists()


def test_a_multi_megabyte_file_confirms(client_for, cast):
    # Few rows with long alignment notes: the size matters here, not the count (kept short for the suite).
    header = "employee_number,first_name,last_name,email,team,hire_date,core_values\n"
    text = header + "".join(f"M-{n},F{n},L{n},m{n}@example.org,Big,2024-01-02,{'v' * 2800}\n" for n in range(1000))
    assert len(text.encode()) > 2.6 * 1024 * 1024  # past DATA_UPLOAD_MAX_MEMORY_SIZE, the old bare 400
    response = apply(client_for("hr"), text)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.DONE and job.counts["create"] == 1000 and job.content == ""
    assert Employee.objects.filter(team__name="Big").count() == 1000


def test_import_emails_links_and_hr_can_send_them_again(client_for, cast):
    hr = client_for("hr")
    response = apply(hr, GOOD)
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert sorted(m.to[0] for m in mail.outbox) == ["gia@example.org", "mei@example.org", "tom@example.org"]
    status = hr.get(job.get_absolute_url())
    assert status.context["waiting"] == 3 and "Import done: 3 added" in status.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert hr.post(reverse("people:import_send_links", args=[job.pk])).status_code == 302
    assert len(mail.outbox) == 6 and SignInLink.objects.filter(revoked_at__isnull=True).count() == 3
    assert hr.get(reverse("people:import_send_links", args=[job.pk])).status_code == 405


def test_a_failure_midway_writes_nothing(client_for, cast, monkeypatch):
    # The last person's insert fails (as a database error would): the people before it are rolled back too.
    original = Employee.save

    def failing_save(self, *args, **kwargs):
        if self.employee_number == "S-2":
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    hr = client_for("hr")
    apply(hr, GOOD)
    monkeypatch.setattr(Employee, "save", failing_save)
    changed = GOOD.replace("Engineer,Platform,S-1", "Staff Engineer,Platform,S-1").replace("S-3,Mei", "S-3,May")
    before = list(Employee.objects.order_by("pk").values())
    apply(hr, changed)
    job = ImportJob.objects.order_by("-pk").first()
    assert job.state == ImportJob.State.FAILED
    assert "nothing was written" in hr.get(job.get_absolute_url()).content.decode().lower()
    assert list(Employee.objects.order_by("pk").values()) == before


def test_a_kept_preview_clears_the_ones_nobody_confirmed(cast):
    """import_job_preview keeps the checked file and deletes previews older than a day (they hold personal
    data), but not a queued or finished import, nor a fresh preview."""
    old = timezone.now() - services.PREVIEW_KEPT - datetime.timedelta(minutes=1)
    stale = ImportJob.objects.create(owner=cast.hr.user, content=GOOD, row_count=3)
    done = ImportJob.objects.create(owner=cast.hr.user, content="", row_count=3, state=ImportJob.State.DONE)
    fresh = ImportJob.objects.create(owner=cast.hr.user, content=GOOD, row_count=3)
    ImportJob.objects.filter(pk__in=[stale.pk, done.pk]).update(created_at=old)
    plan = imports.plan_import(GOOD, importer=cast.hr.user)
    job = services.import_job_preview(owner=cast.hr.user, content=GOOD, plan=plan)
    assert job.state == ImportJob.State.PREVIEWED and job.row_count == 3 and job.content == GOOD
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {done.pk, fresh.pk, job.pk}
