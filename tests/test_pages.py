import datetime
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from alliance.models import CompanyValue, Employee, Organization, User


def test_dashboard_differs_by_role(client_for, cast):
    hr_page = client_for("hr").get(reverse("dashboard")).content.decode()
    assert "Active employees" in hr_page
    manager_page = client_for("manager").get(reverse("dashboard")).content.decode()
    assert "Your direct reports" in manager_page and cast.report.full_name in manager_page
    assert "Active employees" not in manager_page
    alumnus_page = client_for("alumnus").get(reverse("dashboard")).content.decode()
    assert "alumni network" in alumnus_page and "Your direct reports" not in alumnus_page


def test_everyone_reads_the_mission_and_hr_edits_values_in_order(client_for, cast):
    client = client_for("hr")
    response = client.post(
        reverse("company_edit"),
        {
            "name": "Acme",
            "mission": "Make <b>rockets</b> ordinary.",
            "values-TOTAL_FORMS": "2",
            "values-INITIAL_FORMS": "0",
            "values-0-name": "Candour",
            "values-0-position": "2",
            "values-1-name": "Craft",
            "values-1-position": "1",
        },
    )
    assert response.status_code == 302
    assert list(Organization.load().values.values_list("name", flat=True)) == ["Craft", "Candour"]
    page = client_for("report_report").get(reverse("company")).content.decode()
    assert "Make &lt;b&gt;rockets&lt;/b&gt; ordinary." in page
    assert page.index("Craft") < page.index("Candour")


def test_company_edit_refuses_duplicate_values_without_saving(client_for, cast):
    response = client_for("hr").post(
        reverse("company_edit"),
        {
            "name": "Acme",
            "mission": "Changed",
            "values-TOTAL_FORMS": "2",
            "values-INITIAL_FORMS": "0",
            "values-0-name": "Craft",
            "values-0-position": "1",
            "values-1-name": "Craft",
            "values-1-position": "2",
        },
    )
    assert response.status_code == 200
    assert CompanyValue.objects.count() == 0
    assert Organization.load().mission != "Changed"


def test_healthz_reports_the_database(client, db, monkeypatch):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    with monkeypatch.context() as patched:
        patched.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_password_reset_sends_a_link_that_sets_a_password(client, cast):
    response = client.post(reverse("password_reset"), {"email": "report@test.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = urlsplit(link.strip()).path  # the link starts with SITE_URL
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "a-brand-new-pass-42", "new_password2": "a-brand-new-pass-42"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="report@test.example").check_password("a-brand-new-pass-42")


def test_password_reset_does_not_reveal_unknown_emails(client, cast):
    response = client.post(reverse("password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_error_pages_are_in_the_site_style(client_for, cast):
    response = client_for("other").get(reverse("people:detail", args=[cast.manager.pk]))
    assert response.status_code == 404
    assert "This page does not exist." in response.content.decode()
    response = client_for("other").get(reverse("people:create"))
    assert response.status_code == 403
    assert "Only HR can do this." in response.content.decode()


def test_sign_out_is_post_only(client_for, cast):
    client = client_for("report")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_seed_demo_is_idempotent_and_builds_the_demo_sign_ins(demo_company):
    # demo_company is seed_demo's result (seeded once per worker and copied, tests/conftest.py); seeded again here.
    counts = Employee.objects.count(), User.objects.count(), CompanyValue.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Employee.objects.count(), User.objects.count(), CompanyValue.objects.count()) == counts
    assert 60 <= counts[0] <= 80  # the named people, ~55 under them, 15 alumni
    emma = Employee.objects.get(user__email="employee@example.com")
    assert emma.manager.user.email == "manager@example.com"
    assert Employee.objects.get(user__email="alumna@example.com").departure_date <= datetime.date.today()
    assert User.objects.get(email="hr@example.com").has_perm("alliance.hr")
    assert User.objects.get(email="hr@example.com").check_password("alliance-demo")
    # Three levels: CEO → team heads → their people.
    assert Employee.objects.filter(manager__manager__manager__isnull=False).count() == 0
    assert Employee.objects.filter(manager__manager__isnull=False).exists()


def test_seed_demo_generates_a_large_company_in_levels(db):
    call_command("seed_demo", employees=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Employee.objects.filter(employee_number__startswith="E").count() == 300
    call_command("seed_demo", employees=300, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Employee.objects.filter(employee_number__startswith="E").count() == 300
    assert not Employee.objects.filter(employee_number__startswith="E", manager__isnull=True).exists()
