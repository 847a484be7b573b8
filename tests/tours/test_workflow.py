"""The whole life of a tour through the HTTP client, as the two parties and HR would live it."""

import datetime

from django.core import mail
from django.urls import reverse

from tests.factories import make_tour
from tours.models import CheckIn, Signature, Tour


def terms_post(start, end, title="Grow the platform team", **extra):
    data = {
        "title": title,
        "mission": "Make the platform self-service.",
        "company_gets": "A platform team.",
        "employee_gets": "Leadership experience.",
        "company_invests": "",
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else "",
        "checkin_months": "3",
        "length_reason": "",
        "aspirations_served": "",
        "change_note": "",
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "1",
        "objectives-MAX_NUM_FORMS": "20",
        "objectives-0-side": "employee",
        "objectives-0-description": "Lead the migration",
        "objectives-0-measure": "Services migrated per month",
        "objectives-1-side": "company",
        "objectives-1-description": "Fund a conference",
        "objectives-1-measure": "",
    }
    data.update(extra)
    return data


def test_the_whole_workflow(cast, client_for, django_capture_on_commit_callbacks):
    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=200), today + datetime.timedelta(days=3 * 365)
    manager = client_for("manager")
    # 1. The manager drafts: step one picks the person and type, step two the terms.
    step_one = manager.get(reverse("tours:create"), {"employee": cast.report.pk, "type": "transformational"})
    assert step_one.status_code == 200 and "Objectives" in step_one.text
    response = manager.post(
        reverse("tours:create"),
        {"employee": cast.report.pk, "type": "transformational", "programme": "", **terms_post(start, end)},
    )
    tour = Tour.objects.get(employee=cast.report)
    assert response.status_code == 302 and response.url == tour.get_absolute_url()
    assert tour.state == "draft" and tour.current_revision.number == 1
    assert tour.current_revision.objectives.count() == 2

    # 2. Propose: the employee is told, in the app and by email.
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("tours:propose", args=[tour.pk]))
    tour.refresh_from_db()
    assert tour.state == "proposed"
    assert cast.report.user.notifications.filter(message__contains="proposed").exists()
    assert mail.outbox[-1].to == [cast.report.user.email]

    # 3. The manager signs revision 1; the employee asks for a change, which is revision 2.
    manager.post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    employee = client_for("report")
    response = employee.post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(start, end, title="Grow and lead the platform team", base_revision=1, change_note="Lead it"),
    )
    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.current_revision.number == 2 and tour.title == "Grow and lead the platform team"
    page = employee.get(tour.get_absolute_url()).text
    assert "signed revision 1 as manager; the terms changed since, so that signature no longer counts" in page

    # 4. Both sign revision 2: agreed.
    employee.post(reverse("tours:sign", args=[tour.pk]), {"revision": 2})
    client_for("manager").post(reverse("tours:sign", args=[tour.pk]), {"revision": 2})
    tour.refresh_from_db()
    assert tour.state == "agreed" and tour.agreed_revision.number == 2 and tour.agreed_at

    # 5. An amendment: a new revision both sign again; until then the agreed terms stay in force.
    employee = client_for("report")
    employee.post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(start, end, title="Amended title", base_revision=2, change_note="Amend"),
    )
    tour.refresh_from_db()
    assert tour.amendment_pending and tour.title == "Grow and lead the platform team"
    assert "Amendment pending" in employee.get(reverse("tours:index")).text
    employee.post(reverse("tours:sign", args=[tour.pk]), {"revision": 3})
    client_for("manager").post(reverse("tours:sign", args=[tour.pk]), {"revision": 3})
    tour.refresh_from_db()
    assert not tour.amendment_pending and tour.title == "Amended title" and tour.agreed_revision.number == 3

    # 6. Check-in for the first due date (start + 3 months, already past).
    employee = client_for("report")
    form = employee.get(reverse("tours:check_in", args=[tour.pk]))
    due = form.context["form"].fields["due_on"].choices[0][0]
    assert "---------" not in form.text  # required radio buttons offer only real answers, none ticked
    objectives = list(tour.agreed_revision.objectives.all())
    data = {"due_on": due, "other_side_keeping": "yes", "note": "Good quarter"}
    for o in objectives:
        data[f"objective-{o.pk}-status"] = "on_track"
        data[f"objective-{o.pk}-note"] = "fine"
    assert employee.post(reverse("tours:check_in", args=[tour.pk]), data).status_code == 302
    checkin = CheckIn.objects.get(tour=tour)
    assert checkin.side == "employee" and checkin.progress.count() == 2

    # 7. Plan the next tour: a draft successor, pre-filled and linked.
    response = employee.post(reverse("tours:plan_next", args=[tour.pk]))
    successor = Tour.objects.get(predecessor=tour)
    assert response.url == successor.get_absolute_url()
    assert successor.state == "draft" and successor.start_date == tour.end_date + datetime.timedelta(days=1)
    assert successor.current_revision.objectives.count() == 2

    # 8. The manager ends it: promises kept, a successor follows.
    manager = client_for("manager")
    response = manager.post(
        reverse("tours:end", args=[tour.pk]),
        {
            "ended_on": today.isoformat(),
            "outcome": "successor",
            "end_reason": "",
            "company_kept": "yes",
            "employee_kept": "partly",
        },
    )
    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.state == "completed" and tour.employee_kept == "partly"
    assert "Completed, next tour follows" in manager.get(tour.get_absolute_url()).text


def test_signing_a_stale_revision_is_refused(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    client_for("report").post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(tour.start_date, tour.end_date, title="Changed", base_revision=1),
    )
    response = client_for("manager").post(reverse("tours:sign", args=[tour.pk]), {"revision": 1}, follow=True)
    assert "The terms changed since you opened the page" in response.text
    assert not Signature.objects.filter(revision__tour=tour).exists()


def test_a_party_cannot_sign_twice_or_for_the_other(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    client = client_for("report")
    client.post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    response = client.post(reverse("tours:sign", args=[tour.pk]), {"revision": 1}, follow=True)
    assert "You have already signed this revision" in response.text
    assert list(Signature.objects.values_list("role", flat=True)) == ["employee"]


def test_hr_comments_but_cannot_sign(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    hr = client_for("hr")
    assert hr.post(reverse("tours:comment", args=[tour.pk]), {"body": "Looks fair."}).status_code == 302
    assert hr.post(reverse("tours:sign", args=[tour.pk]), {"revision": 1}).status_code == 403
    assert tour.comments.get().body == "Looks fair."


def test_the_skip_level_manager_reads_but_does_not_sign(cast, client_for):
    tour = make_tour(cast.report_report, state="proposed")
    manager = client_for("manager")  # the report's manager: two levels up
    assert manager.get(tour.get_absolute_url()).status_code == 200
    assert manager.post(reverse("tours:sign", args=[tour.pk]), {"revision": 1}).status_code == 403


def test_empty_comment_is_refused_with_a_message(cast, client_for):
    tour = make_tour(cast.report)
    response = client_for("report").post(reverse("tours:comment", args=[tour.pk]), {"body": "  "}, follow=True)
    assert "Write a comment first" in response.text and not tour.comments.exists()


def test_delete_draft_asks_first(cast, client_for):
    tour = make_tour(cast.report)
    client = client_for("report")
    assert "cannot be undone" in client.get(reverse("tours:delete", args=[tour.pk])).text
    assert Tour.objects.filter(pk=tour.pk).exists()
    client.post(reverse("tours:delete", args=[tour.pk]))
    assert not Tour.objects.filter(pk=tour.pk).exists()


def test_an_agreed_tour_cannot_be_deleted(cast, client_for):
    tour = make_tour(cast.report, state="agreed")
    response = client_for("hr").post(reverse("tours:delete", args=[tour.pk]), follow=True)
    assert "Only a tour that was never agreed can be deleted" in response.text
    assert Tour.objects.filter(pk=tour.pk).exists()
