"""The 1:1 workspace (issue 23, item 4): a shared agenda for a tour's next check-in, points that carry over,
objectives with their last progress, private notes, and "We met" from both sides recording the check-in."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import PrivateNote, TalkingPoint
from tests.factories import make_tour
from tours.models import CheckIn

TODAY = datetime.date.today()


@pytest.fixture
def tour(cast):
    """The report's report's tour (parties: them and the report, their manager), agreed 100 days ago: the first
    check-in fell due 8 days ago. The manager above is no party; HR sees it."""
    return make_tour(cast.report_report, state="agreed", start=TODAY - datetime.timedelta(days=100))


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def met_post(tour, due_on, met_on=TODAY, status="on_track", **extra):
    data = {"due_on": due_on.isoformat(), "met_on": met_on.isoformat(), "other_side_keeping": "yes", "note": ""}
    for objective in tour.agreed_revision.objectives.all():
        data[f"objective-{objective.pk}-status"] = status
        data[f"objective-{objective.pk}-note"] = f"Note on {objective.description}"
    return {**data, **extra}


def test_both_sides_build_the_agenda_and_we_met_records_the_check_in(client_for, cast, tour):
    due = tour.checkin_due_on
    employee = client_for("report_report")
    assert employee.post(url("point_add", tour.pk), {"point-text": "The conference budget"}).status_code == 302
    manager = client_for("report")
    assert manager.post(url("point_add", tour.pk), {"point-text": "Hiring for the team"}).status_code == 302
    page = manager.get(url("workspace", tour.pk))
    assert page.status_code == 200
    assert "The conference budget" in page.text and "Hiring for the team" in page.text
    assert [p.added_for for p in TalkingPoint.objects.filter(tour=tour)] == [due, due]

    budget = TalkingPoint.objects.get(text="The conference budget")
    assert manager.post(url("point_cover", budget.pk), {"covered": "1"}).status_code == 302
    budget.refresh_from_db()
    assert budget.covered_for == due and budget.covered_by == cast.report.user

    met_on = TODAY - datetime.timedelta(days=1)
    response = manager.post(url("we_met", tour.pk), met_post(tour, due, met_on))
    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.checkin_due_on == due  # one side so far: the agenda stays open
    assert "The agenda closes when the other side records theirs" in manager.get(url("workspace", tour.pk)).text

    employee = client_for("report_report")
    page = employee.get(url("workspace", tour.pk))
    assert page.context["met_on"] == met_on  # the other side's date is offered
    response = employee.post(url("we_met", tour.pk), met_post(tour, due, met_on, status="at_risk"))
    assert response.status_code == 302
    checkins = CheckIn.objects.filter(tour=tour, due_on=due).order_by("side")
    assert [(c.side, c.met_on, c.author) for c in checkins] == [
        ("employee", met_on, cast.report_report.user),
        ("manager", met_on, cast.report.user),
    ]
    assert {p.status for p in checkins[0].progress.all()} == {"at_risk"}
    tour.refresh_from_db()
    assert tour.checkin_due_on > due  # the agenda closed; the next one is open

    page = employee.get(url("workspace", tour.pk))
    assert page.context["due_on"] == tour.checkin_due_on
    assert [p.text for p in page.context["points"]] == ["Hiring for the team"]  # carried over
    assert "carried over from the check-in of" in page.text
    assert [p.text for p in page.context["earlier"]] == ["The conference budget"]
    # Each objective shows its progress and the last note.
    progress = {o.objective.description: o.last for o in page.context["objectives"]}
    assert {p.status for p in progress.values()} == {"at_risk"}
    assert "Note on Lead the migration" in page.text
    # The tour page's timeline shows the day they met.
    assert f"met on {met_on:%-d %b %Y}" in employee.get(tour.get_absolute_url()).text


def test_private_notes_are_shown_to_their_author_alone(client_for, cast, tour):
    secret = "I think Rita is overloading me"
    employee = client_for("report_report")
    assert employee.post(url("note_save", tour.pk), {"note-text": secret}).status_code == 302
    assert PrivateNote.objects.get().author == cast.report_report.user
    assert secret in employee.get(url("workspace", tour.pk)).text
    pages = [url("workspace", tour.pk), tour.get_absolute_url(), reverse("dashboard"), reverse("notifications")]
    for role in ("report", "manager", "hr"):
        client = client_for(role)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200
            assert secret not in response.text, f"{role} sees the note on {path}"
    # The manager's own note is theirs: saving it leaves the employee's untouched.
    client_for("report").post(url("note_save", tour.pk), {"note-text": "Ask about workload"})
    assert PrivateNote.objects.filter(author=cast.report_report.user).get().text == secret
    assert "Ask about workload" not in client_for("report_report").get(url("workspace", tour.pk)).text


@pytest.mark.parametrize(
    ("role", "view", "add", "met"),
    [
        ("anonymous", 302, 302, 302),
        ("other", 404, 404, 404),
        ("alumnus", 404, 404, 404),
        ("manager", 200, 403, 403),  # sees the tour (above), is no party
        ("hr", 200, 302, 403),  # adds to the agenda (tours.access "agenda"), never records a meeting
        ("report", 200, 302, 302),  # the manager party
        ("report_report", 200, 302, 302),  # the employee party
    ],
)
def test_who_may_read_add_and_record(client_for, tour, role, view, add, met):
    client = client_for(role)
    assert client.get(url("workspace", tour.pk)).status_code == view
    assert client.post(url("point_add", tour.pk), {"point-text": "A point"}).status_code == add
    assert TalkingPoint.objects.count() == (1 if add == 302 and role != "anonymous" else 0)
    assert client.post(url("we_met", tour.pk), met_post(tour, tour.checkin_due_on)).status_code == met
    assert CheckIn.objects.count() == (1 if met == 302 and role != "anonymous" else 0)


def test_a_point_is_removed_by_its_author_only_and_ticked_by_the_parties_or_hr(client_for, cast, tour):
    client_for("report_report").post(url("point_add", tour.pk), {"point-text": "Mine"})
    point = TalkingPoint.objects.get()
    assert client_for("report").post(url("point_delete", point.pk)).status_code == 403
    assert client_for("manager").post(url("point_cover", point.pk), {"covered": "1"}).status_code == 403
    assert client_for("other").post(url("point_cover", point.pk), {"covered": "1"}).status_code == 404
    point.refresh_from_db()
    assert point.covered_for is None
    assert client_for("hr").post(url("point_cover", point.pk), {"covered": "1"}).status_code == 302
    point.refresh_from_db()
    assert point.covered_for == tour.checkin_due_on
    assert client_for("report").post(url("point_cover", point.pk), {"covered": "0"}).status_code == 302
    point.refresh_from_db()
    assert point.covered_for is None
    assert client_for("report_report").post(url("point_delete", point.pk)).status_code == 302
    assert not TalkingPoint.objects.exists()


@pytest.mark.parametrize("name", ["point_add", "note_save", "we_met"])
def test_actions_are_post_only(client_for, tour, name):
    assert client_for("report_report").get(url(name, tour.pk)).status_code == 405


def test_a_second_click_of_one_side_records_one_check_in(client_for, tour):
    due = tour.checkin_due_on
    client = client_for("report_report")
    assert client.post(url("we_met", tour.pk), met_post(tour, due)).status_code == 302
    response = client.post(url("we_met", tour.pk), met_post(tour, due), follow=True)
    assert "You have already checked in for" in response.text
    assert CheckIn.objects.filter(tour=tour).count() == 1


def test_a_click_on_an_agenda_closed_meanwhile_never_records_the_next_check_in(client_for, tour):
    due = tour.checkin_due_on
    client_for("report").post(url("we_met", tour.pk), met_post(tour, due))
    client_for("report_report").post(url("we_met", tour.pk), met_post(tour, due))
    tour.refresh_from_db()
    next_due = tour.checkin_due_on
    # The employee's stale second tab still says the old date: refused, nothing recorded for the next one.
    response = client_for("report_report").post(url("we_met", tour.pk), met_post(tour, due), follow=True)
    assert "was closed meanwhile" in response.text
    assert not CheckIn.objects.filter(tour=tour, due_on=next_due).exists()
    assert CheckIn.objects.filter(tour=tour).count() == 2


def test_bad_input_is_a_form_error(client_for, tour):
    client = client_for("report_report")
    due = tour.checkin_due_on
    ahead = client.post(url("we_met", tour.pk), met_post(tour, due, met_on=TODAY + datetime.timedelta(days=2)))
    assert ahead.status_code == 200 and "record the meeting once you have met" in ahead.text
    before = client.post(url("we_met", tour.pk), met_post(tour, due, met_on=datetime.date(2000, 1, 1)), follow=True)
    assert "the meeting cannot be earlier" in before.text
    nonsense = client.post(url("we_met", tour.pk), {**met_post(tour, due), "due_on": "31-31-31", "met_on": ""})
    assert nonsense.status_code == 200 and nonsense.context["met_form"].errors
    empty = client.post(url("point_add", tour.pk), {"point-text": ""})
    assert empty.status_code == 200 and empty.context["point_form"].errors
    huge = client.post(url("point_add", tour.pk), {"point-text": "x" * 501})
    assert huge.status_code == 200 and huge.context["point_form"].errors
    assert not CheckIn.objects.exists() and not TalkingPoint.objects.exists()


def test_a_tour_not_yet_agreed_has_no_agenda(client_for, cast):
    draft = make_tour(cast.report_report)
    client = client_for("report_report")
    page = client.get(url("workspace", draft.pk))
    assert page.status_code == 200 and "opens once the tour is agreed" in page.text
    response = client.post(url("point_add", draft.pk), {"point-text": "Too early"}, follow=True)
    assert response.status_code == 200 and "no agenda is open" in response.text
    assert not TalkingPoint.objects.exists()


def test_a_check_in_far_ahead_cannot_be_recorded_yet(client_for, cast):
    tour = make_tour(cast.report_report, state="agreed", start=TODAY - datetime.timedelta(days=10))
    client = client_for("report_report")
    page = client.get(url("workspace", tour.pk))
    assert "met_form" not in page.context and "You can record this meeting from" in page.text
    response = client.post(url("we_met", tour.pk), met_post(tour, tour.checkin_due_on), follow=True)
    assert "more than a month away" in response.text
    assert not CheckIn.objects.exists()


def test_an_alumnas_export_holds_her_talking_points_and_private_notes(client_for, cast, tour):
    """Written while she worked here (a point covered, a note), then she left and joined the alumni."""
    due = tour.checkin_due_on
    TalkingPoint.objects.create(tour=tour, author=cast.alumnus.user, text="My point", added_for=due, covered_for=due)
    PrivateNote.objects.create(tour=tour, author=cast.alumnus.user, due_on=due, text="My own note")
    PrivateNote.objects.create(tour=tour, author=cast.report.user, due_on=due, text="Someone else's note")
    data = client_for("alumnus").get(reverse("alumni:me_export")).json()
    assert data["talking_points"] == [
        {"tour": tour.title, "text": "My point", "date": due.isoformat(), "covered_at_check_in_of": due.isoformat()}
    ]
    assert data["private_notes"] == [{"tour": tour.title, "text": "My own note", "date": due.isoformat()}]
