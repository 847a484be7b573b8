"""The alumnus's profile, directory visibility, privacy (export, erasure), eligibility secrecy, roster."""

import datetime
import json

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from alliance.models import Notification
from alumni.models import AlumniProfile, Departure, Referral
from alumni.reminders import send_stale_profile_reminders
from tests.factories import EmployeeFactory, make_tour
from tours import services

TODAY = datetime.date.today()


def profile_post(**extra):
    data = {
        "current_employer": "Initech",
        "current_title": "CTO",
        "location": "Lisbon",
        "personal_email": "alma@home.example",
        "profile_url": "https://alma.example/",
        "mentoring": "on",
        "note": "Happy to help.",
        "listed": "on",
    }
    data.update(extra)
    return data


def test_alumnus_updates_profile_and_it_records_when(cast, client_for):
    profile = cast.alumnus.alumni_profile
    AlumniProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    client = client_for("alumnus")
    assert "over a year old" in client.get(reverse("alumni:me")).text
    assert client.post(reverse("alumni:me_edit"), profile_post()).status_code == 302
    profile.refresh_from_db()
    assert profile.current_employer == "Initech" and profile.mentoring and not profile.is_stale
    bad = client.post(reverse("alumni:me_edit"), profile_post(personal_email="nope", profile_url="ftp:/x"))
    assert "Enter a valid email address" in bad.text and "Enter a valid URL" in bad.text


def test_directory_shows_only_listed_and_only_chosen_fields(cast, client_for):
    profile = cast.alumnus.alumni_profile
    client = client_for("alumnus")
    client.post(reverse("alumni:me_edit"), profile_post(listed=""))
    assert "Alma" not in client_for("report").get(reverse("alumni:directory")).text  # off by default / opted out
    client_for("alumnus").post(reverse("alumni:me_edit"), profile_post(show_profile_url="on"))
    page = client_for("report").get(reverse("alumni:directory")).text
    assert "Alma" in page and "Initech" in page and "https://alma.example/" in page
    assert "alma@home.example" not in page  # email not chosen for the directory
    assert "Initech" in client_for("report").get(reverse("alumni:directory"), {"interest": "mentoring"}).text
    assert "Initech" not in client_for("report").get(reverse("alumni:directory"), {"interest": "newsletter"}).text
    profile.refresh_from_db()
    assert profile.listed


def test_rehire_eligibility_never_reaches_an_alumnus_or_a_manager(cast, client_for):
    secret = "Do not rehire: conflict with the team"
    Departure.objects.create(
        employee=cast.alumnus,
        departure_date=cast.alumnus.departure_date,
        reason="other",
        rehire_eligible=False,
        rehire_reason=secret,
        recorded_by=cast.hr.user,
    )
    pages = [
        reverse(n)
        for n in (
            "dashboard",
            "alumni:me",
            "alumni:directory",
            "alumni:me_export",
            "alumni:roster",
            "alumni:roster_csv",
        )
    ]
    pages += [
        reverse("people:detail", args=[cast.alumnus.pk]),
        reverse("alumni:detail", args=[cast.alumnus.alumni_profile.pk]),
    ]
    for role in ("alumnus", "manager", "report"):
        client = client_for(role)
        for url in pages:
            response = client.get(url)
            body = response.content.decode()
            assert secret not in body and "Not eligible" not in body and "not eligible" not in body, (role, url)
            assert '"rehire' not in body, (role, url)
    hr = client_for("hr")
    assert secret in hr.get(reverse("alumni:detail", args=[cast.alumnus.alumni_profile.pk])).text
    assert "Not eligible" in hr.get(reverse("alumni:roster")).text
    assert "no" in hr.get(reverse("alumni:roster_csv")).content.decode()


def test_export_contains_their_data(cast, client_for):
    tour = make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=100))
    services.tour_comment(tour=tour, user=cast.report.user, body="My comment on the tour")
    cast.report.departure_date = TODAY
    cast.report.save()
    AlumniProfile.objects.create(employee=cast.report, joined_at=timezone.now(), current_employer="Hooli")
    Referral.objects.create(referrer=cast.report, candidate_name="Cand Idate", contact="c@example.com")
    response = client_for("report").get(reverse("alumni:me_export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "report@test.example"
    assert data["alumni_profile"]["current_employer"] == "Hooli"
    assert data["tours"][0]["title"] == tour.title and data["tours"][0]["revisions"][0]["objectives"]
    assert data["comments"][0]["body"] == "My comment on the tour"
    assert data["referrals"][0]["candidate_name"] == "Cand Idate"


def _text_columns_containing(*needles):
    found = []
    for model in apps.get_models():
        text = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField | models.EmailField) and f.concrete
        ]
        for row in model.objects.values(*text) if text else []:
            for column, value in row.items():
                if value and any(n.lower() in str(value).lower() for n in needles):
                    found.append((model.__name__, column, value))
    return found


def test_deletion_leaves_no_personal_data(cast, client_for):
    alma = cast.alumnus
    tour = make_tour(alma.manager and EmployeeFactory(manager=cast.manager), state="draft")
    services.tour_comment(tour=tour, user=alma.user, body="Alma Udo here: call me on alma@home.example")
    AlumniProfile.objects.filter(employee=alma).update(personal_email="alma@home.example", note="I am Alma Udo")
    Notification.objects.create(user=alma.user, message="Hello Alma Udo")
    Departure.objects.create(
        employee=alma,
        departure_date=alma.departure_date,
        reason="other",
        exit_notes="Alma said...",
        recorded_by=cast.hr.user,
    )
    client = client_for("alumnus")
    assert "cannot be undone" in client.get(reverse("alumni:me_delete")).text
    client.post(reverse("alumni:me_delete"), {"confirm": "nope"})
    assert AlumniProfile.objects.filter(employee=alma).exists()
    response = client.post(reverse("alumni:me_delete"), {"confirm": "DELETE"})
    assert "Your account is deleted" in response.text
    assert _text_columns_containing("Alma", "Udo", "alumnus@test.example", "alma@home.example") == []
    assert Departure.objects.filter(employee=alma).exists()  # counted in reports, without identity
    assert client.get(reverse("dashboard")).status_code == 302  # signed out


def test_stale_profiles_are_reminded_once_a_quarter(cast):
    AlumniProfile.objects.update(updated_at=timezone.now() - datetime.timedelta(days=400))
    assert send_stale_profile_reminders(TODAY) == 1
    assert send_stale_profile_reminders(TODAY) == 0
    assert send_stale_profile_reminders(TODAY + datetime.timedelta(days=92)) == 1  # next quarter
    assert Notification.objects.filter(user=cast.alumnus.user, message__contains="over a year old").count() == 2
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_staleness_is_judged_on_the_day_asked_for(cast):
    """A profile updated 300 days ago is fresh today but stale in 100 days' time."""
    AlumniProfile.objects.update(updated_at=timezone.now() - datetime.timedelta(days=300))
    assert send_stale_profile_reminders(TODAY) == 0
    assert send_stale_profile_reminders(TODAY + datetime.timedelta(days=100)) == 1


def test_roster_filters_and_csv(cast, client_for):
    AlumniProfile.objects.filter(employee=cast.alumnus).update(location="Porto", mentoring=True, tier="distinguished")
    hr = client_for("hr")
    assert "Alma Udo" in hr.get(reverse("alumni:roster"), {"location": "port", "interest": "mentoring"}).text
    assert "Alma Udo" not in hr.get(reverse("alumni:roster"), {"tier": "alumni"}).text
    assert "Alma Udo" not in hr.get(reverse("alumni:roster"), {"stale": "on"}).text
    csv_text = hr.get(reverse("alumni:roster_csv"), {"employer": "Globex"}).content.decode()
    assert csv_text.splitlines()[0].startswith("name,email,tier") and "Alma Udo" in csv_text


def test_roster_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    for i in range(110):
        person = EmployeeFactory(departure_date=TODAY - datetime.timedelta(days=10 + i))
        AlumniProfile.objects.create(employee=person, joined_at=timezone.now(), current_employer=f"Co {i}")
    client = client_for("hr")
    # session, user, HR perms (2), person, "has reports", count, one page of profiles with the user
    # and latest departure's eligibility (a subquery), unread notifications, session refresh (3), the team
    # filter's options
    with django_assert_num_queries(8):
        response = client.get(reverse("alumni:roster"))
    assert response.context["page"].paginator.count == 111


def test_hr_tracks_referrals(cast, client_for):
    client = client_for("alumnus")
    client.post(
        reverse("alumni:refer"),
        {"candidate_name": "Cand Idate", "contact": "cand@example.com", "role_of_interest": "Designer", "note": ""},
    )
    referral = Referral.objects.get()
    assert referral.referrer == cast.alumnus
    hr = client_for("hr")
    assert "Cand Idate" in hr.get(reverse("alumni:referrals")).text
    hr.post(reverse("alumni:referral_status", args=[referral.pk]), {"status": "contacted"})
    referral.refresh_from_db()
    assert referral.status == "contacted" and referral.status_changed_at
    hr.post(reverse("alumni:referral_status", args=[referral.pk]), {"status": "bogus"})
    referral.refresh_from_db()
    assert referral.status == "contacted"


def test_demo_alumni(db):
    call_command("seed_demo", employees=40, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = AlumniProfile.objects.count(), Referral.objects.count()
    call_command("seed_demo", employees=40, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (AlumniProfile.objects.count(), Referral.objects.count()) == counts
    alice = AlumniProfile.objects.get(employee__user__email="alumna@example.com")
    assert alice.current_employer and alice.listed and alice.joined_at
    demo = AlumniProfile.objects.filter(employee__employee_number__startswith="D-2")
    assert demo.count() == 15 and demo.stale().exists() and demo.filter(listed=False).exists()
    assert {p.tier for p in demo} == {"alumni", "distinguished"}
    assert AlumniProfile.objects.filter(employee__employee_number__startswith="E").count() >= 10
    from alumni.models import Rehire

    assert Rehire.objects.count() == 1 and counts[1] == 3
