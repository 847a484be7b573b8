"""Write paths that used queryset updates now save, so the trail records them; secrets stay out."""

from django.apps import apps
from django.urls import reverse

from alumni.models import AlumniProfile, Invitation
from tests.alumni.test_leaving import invitation_link, leave_data
from tests.audit.test_audit import audit_text, row_about
from tests.test_import import GOOD, apply


def test_a_csv_import_that_changes_a_manager_is_recorded(client_for, cast):
    hr = client_for("hr")
    apply(hr, GOOD)
    apply(hr, GOOD.replace("Engineer,Platform,tom@example.org", "Engineer,Platform,gia@example.org"))
    row = row_about(audit_text(hr, person="S-3"), "Mei Lin")
    assert "Tom Reyes</span> → Gia Okafor" in row and "Hana Rees" in row


def test_leaving_and_joining_are_recorded_and_no_token_reaches_history(
    cast, client, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.hr.user)
        client.post(reverse("alumni:leave", args=[cast.report_report.pk]), leave_data())
        client.logout()
    link = invitation_link()
    client.post(link, {"new_password1": "a-long-new-secret-42", "new_password2": "a-long-new-secret-42"})
    assert AlumniProfile.objects.get(employee=cast.report_report).joined_at is not None
    text = audit_text(client_for("hr"), person=cast.report_report.employee_number)
    assert "Departure of Ravi Rao" in row_about(text, "Departure of Ravi Rao")
    joined = row_about(text, "Alumni profile of Ravi Rao")
    assert "Joined at" in joined and "Ravi Rao" in joined.split("</td>")[1]  # they joined, by themselves
    # No history table holds an invitation or its token hash, and no sign-in history holds a password.
    token_hash = Invitation.objects.get().token_hash
    history = list(apps.get_app_config("audit").get_models())
    assert not any(m.__name__ == "HistoricalInvitation" for m in history)
    for model in history:
        names = {f.name for f in model._meta.fields}
        assert not names & {"token_hash", "password", "last_login"}, model
        for field in model._meta.fields:
            if field.get_internal_type() in ("CharField", "TextField"):
                assert not model.objects.filter(**{field.name: token_hash}).exists()
