"""The network services, called directly: what they write, whom they tell, and that a failure part-way
leaves nothing behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from alliance.models import Notification
from networks import services
from networks.forms import ContributionForm, EventForm
from networks.models import Attendance, Contribution, Event


def insight(contributor, **extra):
    return Contribution.objects.create(
        contributor=contributor, kind="market", title="Prices up", insight="Our rival raised prices", **extra
    )


def test_rating_tells_the_contributor_once(cast):
    item = insight(cast.report_report)
    told = services.contribution_rate(contribution=item, by=cast.manager.user, rating=4, acted_on=False, outcome="")
    item.refresh_from_db()
    assert told and item.rating == 4 and item.rated_by == cast.manager.user and item.rated_at
    assert Notification.objects.get(user=cast.report_report.user).message == "Your insight “Prices up” was rated 4/5."
    again = services.contribution_rate(contribution=item, by=cast.hr.user, rating=4, acted_on=False, outcome="")
    assert not again and Notification.objects.filter(user=cast.report_report.user).count() == 1


def test_acting_on_an_insight_says_what_came_of_it(cast):
    item = insight(cast.report_report, rating=4)
    services.contribution_rate(
        contribution=item, by=cast.manager.user, rating=4, acted_on=True, outcome="We matched the price."
    )
    note = Notification.objects.get(user=cast.report_report.user)
    assert note.message == "Your insight “Prices up” was rated 4/5 and acted on: We matched the price."


def test_rating_compares_with_the_stored_rating_not_the_callers_copy(cast):
    """Two managers open the form; the first rates 5. The second, who also saw it unrated, rates 5 too:
    nothing changed since the first rating, so the contributor is told once."""
    item = insight(cast.report_report)
    stale_copy = Contribution.objects.get(pk=item.pk)
    services.contribution_rate(contribution=item, by=cast.manager.user, rating=5, acted_on=False, outcome="")
    told = services.contribution_rate(contribution=stale_copy, by=cast.hr.user, rating=5, acted_on=False, outcome="")
    assert not told and Notification.objects.count() == 1


def test_a_rating_whose_notification_fails_is_not_saved(cast, monkeypatch):
    item = insight(cast.report_report)

    def broken(**kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError):
        services.contribution_rate(contribution=item, by=cast.manager.user, rating=3, acted_on=False, outcome="")
    item.refresh_from_db()
    assert item.rating is None and item.rated_by is None


def test_a_rated_insight_is_neither_changed_nor_deleted(cast):
    item = insight(cast.report_report)
    form = ContributionForm(
        {"kind": "market", "title": "Changed", "insight": "x", "visibility": "everyone"},
        instance=item,
        contributor=cast.report_report,
    )
    assert form.is_valid(), form.errors
    Contribution.objects.filter(pk=item.pk).update(rating=2)  # rated since the contributor opened the form
    with pytest.raises(PermissionDenied):
        services.contribution_update(form=form)
    with pytest.raises(PermissionDenied):
        services.contribution_delete(contribution=item)
    item.refresh_from_db()
    assert item.title == "Prices up"


def test_an_unrated_insight_is_changed_and_deleted(cast):
    item = insight(cast.report_report)
    form = ContributionForm(
        {"kind": "market", "title": "Changed", "insight": "x", "visibility": "everyone"},
        instance=item,
        contributor=cast.report_report,
    )
    assert form.is_valid(), form.errors
    services.contribution_update(form=form)
    item.refresh_from_db()
    assert item.title == "Changed"
    services.contribution_delete(contribution=item)
    assert not Contribution.objects.filter(pk=item.pk).exists()


def event_form(people, instance=None, title="Meetup"):
    data = {
        "title": title,
        "kind": "hosted",
        "date": datetime.date.today().isoformat(),
        "attendees_text": ", ".join(p.employee_number for p in people),
        "outside_guests": "3",
    }
    form = EventForm(data, instance=instance)
    assert form.is_valid(), form.errors
    return form


def test_an_event_keeps_the_listed_people_and_those_who_said_they_came(cast):
    event = services.event_save(form=event_form([cast.report, cast.other]), by=cast.manager.user)
    assert event.created_by == cast.manager.user
    Attendance.objects.create(event=event, employee=cast.report_report, self_reported=True)
    services.event_save(form=event_form([cast.other, cast.manager], instance=event), by=cast.hr.user)
    event.refresh_from_db()
    assert event.created_by == cast.manager.user  # an edit does not change who recorded it
    assert set(event.attendees.all()) == {cast.other, cast.manager, cast.report_report}


def test_an_event_whose_attendees_cannot_be_written_is_not_saved(cast, monkeypatch):
    event = services.event_save(form=event_form([cast.report]), by=cast.manager.user)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Attendance.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.event_save(form=event_form([cast.other], instance=event, title="Renamed"), by=cast.manager.user)
    event.refresh_from_db()
    assert event.title == "Meetup" and set(event.attendees.all()) == {cast.report}
    with pytest.raises(RuntimeError):
        services.event_save(form=event_form([cast.other], title="New"), by=cast.manager.user)
    assert not Event.objects.filter(title="New").exists()
