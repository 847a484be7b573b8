"""The admin shows the record of a tour but cannot rewrite it: revisions, signatures and check-ins are read-only;
so is a tour (its fields mirror its revisions or move through the services, which announce every end: tour.ended)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_tour
from tours.models import CheckIn, Signature, Tour, TourRevision


@pytest.fixture
def admin_client(client, cast):
    cast.hr.user.is_staff = True
    cast.hr.user.is_superuser = True
    cast.hr.user.save()
    client.force_login(cast.hr.user)
    return client


@pytest.fixture
def signed(cast):
    start = datetime.date.today() - datetime.timedelta(days=120)
    tour = make_tour(cast.report, state="agreed", start=start)
    CheckIn.objects.create(
        tour=tour, revision=tour.agreed_revision, due_on=start, side="employee", author=cast.report.user, note="ok"
    )
    return tour


def test_signed_revisions_signatures_and_check_ins_cannot_be_changed_or_deleted(admin_client, signed):
    revision = signed.agreed_revision
    checkin = CheckIn.objects.get(tour=signed)
    for name, pk in [("tourrevision", revision.pk), ("checkin", checkin.pk)]:
        page = admin_client.get(reverse(f"admin:tours_{name}_change", args=[pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.text  # a view, not a form
        assert admin_client.post(reverse(f"admin:tours_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
        assert admin_client.get(reverse(f"admin:tours_{name}_add")).status_code == 403
    posted = admin_client.post(reverse("admin:tours_tourrevision_change", args=[revision.pk]), {"title": "Rewritten"})
    assert posted.status_code == 403
    revision.refresh_from_db()
    assert revision.title != "Rewritten" and Signature.objects.filter(revision=revision).count() == 2
    assert CheckIn.objects.filter(pk=checkin.pk).exists()


def test_a_tour_is_viewed_in_the_admin_never_changed_or_deleted(admin_client, signed):
    assert admin_client.post(reverse("admin:tours_tour_delete", args=[signed.pk]), {"post": "yes"}).status_code == 403
    page = admin_client.get(reverse("admin:tours_tour_change", args=[signed.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text and signed.title in page.text
    for field in ("title", "start_date", "end_date", "employee", "type", "state", "outcome", "ended_on"):
        assert f'name="{field}"' not in page.text
    moved = signed.start_date - datetime.timedelta(days=30)
    posted = admin_client.post(
        reverse("admin:tours_tour_change", args=[signed.pk]),
        {"title": "Rewritten", "start_date": moved.isoformat(), "ended_on": moved.isoformat()},
    )
    assert posted.status_code == 403
    signed.refresh_from_db()
    assert (signed.title, signed.start_date, signed.ended_on) == (signed.agreed_revision.title, signed.start_date, None)
    assert signed.title != "Rewritten" and signed.start_date != moved
    assert admin_client.get(reverse("admin:tours_tour_changelist")).status_code == 200
    assert Tour.objects.filter(pk=signed.pk).exists() and TourRevision.objects.filter(tour=signed).exists()
