"""Hostile input to the alumni forms: leaving, the alumnus's profile and referrals, HR's tier,
rehire and referral status, the roster and directory filters (and the roster's CSV)."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from alumni.models import Departure, Invitation, Referral
from tests.factories import make_tour
from tests.fuzz.hostile import anything, get, huge_ids, isolated, payloads, post

KEPT = st.sampled_from(["yes", "partly", "no"])
INTERESTS = ["open_to_returning", "referring", "mentoring", "customer_or_partner", "events", "newsletter"]


@pytest.fixture
def alumni(cast):
    """The alumnus's departure (HR marked them not eligible), a referral, an invitation; the report's
    report serves an agreed tour, so leaving asks about promises."""
    started = datetime.date.today() - datetime.timedelta(days=100)
    make_tour(cast.report_report, state="agreed", start=started)
    departure = Departure.objects.create(
        employee=cast.alumnus,
        departure_date=cast.alumnus.departure_date,
        reason="resigned",
        rehire_eligible=False,
        recorded_by=cast.hr.user,
    )
    referral = Referral.objects.create(referrer=cast.alumnus, candidate_name="C", contact="c@example.com")
    invitation = Invitation.objects.create(
        employee=cast.alumnus,
        token_hash="0" * 64,
        sent_by=cast.hr.user,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    return {
        "profile": cast.alumnus.alumni_profile,
        "departure": departure,
        "referral": referral,
        "invitation": invitation,
    }


@settings(max_examples=50)
@given(st.data())
def test_leave(cast, alumni, data):
    valid = {
        "departure_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        "reason": st.sampled_from(["end_of_tour", "resigned", "other"]),
        "exit_notes": "Joining a start-up",
        "company_kept": KEPT,
        "employee_kept": KEPT,
        "rehire_eligible": st.sampled_from(["", "yes", "no"]),
        "rehire_reason": "",
        "invite": "on",
    }
    with isolated():
        user = data.draw(st.sampled_from([cast.hr, cast.report, cast.manager]))
        post(user, reverse("alumni:leave", args=[cast.report_report.pk]), data.draw(payloads(valid)))


@settings(max_examples=35)
@given(st.data())
def test_profile(cast, alumni, data):
    valid = {
        "current_employer": "Globex",
        "current_title": "CTO",
        "location": "Lisbon",
        "personal_email": "alma@example.org",
        "profile_url": "https://example.org/alma",
        "note": "Happy to help",
        "listed": "on",
        "show_personal_email": "on",
        "show_profile_url": "",
    } | {name: data.draw(st.sampled_from(["on", ""])) for name in INTERESTS}
    with isolated():
        post(cast.alumnus, reverse("alumni:me_edit"), data.draw(payloads(valid)))


@settings(max_examples=25)
@given(st.data())
def test_referral(cast, alumni, data):
    valid = {"candidate_name": "Cleo", "contact": "cleo@example.org", "role_of_interest": "Design", "note": ""}
    with isolated():
        post(cast.alumnus, reverse("alumni:refer"), data.draw(payloads(valid)))


@settings(max_examples=25)
@given(st.data())
def test_tier_and_referral_status(cast, alumni, data):
    with isolated():
        tier = data.draw(payloads({"tier": st.sampled_from(["alumni", "distinguished"])}))
        post(cast.hr, reverse("alumni:detail", args=[alumni["profile"].pk]), tier)
    with isolated():
        status = data.draw(payloads({"status": st.sampled_from(["new", "contacted", "hired", "declined"])}))
        post(cast.hr, reverse("alumni:referral_status", args=[alumni["referral"].pk]), status)


@settings(max_examples=40)
@given(st.data())
def test_rehire(cast, alumni, data):
    """Rehiring someone marked not eligible: a confirmation and a reason, a current manager."""
    valid = {
        "rehired_on": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
        "manager": st.sampled_from([cast.manager.employee_number, cast.alumnus.employee_number, cast.hr.user.email]),
        "job_title": "Staff engineer",
        "reason": "The team asked for her back",
        "confirm": "on",
    }
    with isolated():
        post(cast.hr, reverse("alumni:rehire", args=[alumni["profile"].pk]), data.draw(payloads(valid)))


@settings(max_examples=35)
@given(st.data())
def test_roster_and_directory_filters(cast, alumni, data):
    roster = {"q": "Alma", "tier": "alumni", "eligible": st.sampled_from(["yes", "no", "unknown"]),
              "stale": "on", "page": "1"}  # fmt: skip
    common = {"employer": "Globex", "location": "Lisbon", "interest": st.sampled_from(INTERESTS)}
    with isolated():
        user, name = data.draw(
            st.sampled_from(
                [(cast.hr, "roster"), (cast.hr, "roster_csv"), (cast.report, "directory"), (cast.alumnus, "directory")]
            )  # fmt: skip
        )
        valid = common | (roster if name.startswith("roster") else {"page": "1"})
        get(user, reverse(f"alumni:{name}"), data.draw(payloads(valid)))
    with isolated():
        get(cast.hr, reverse("alumni:referrals"), data.draw(payloads({"status": "new", "page": "1"})))


@settings(max_examples=25)
@given(pk=st.one_of(huge_ids, st.just(-1)), other=huge_ids)
def test_alumni_urls_with_hostile_ids(cast, alumni, pk, other):
    """A huge id is not found; the manager cannot see or offboard the other team's employee."""
    pk = cast.other.pk if pk == -1 else pk
    unknown = pk == cast.other.pk or pk > 10**6
    with isolated():
        get(cast.manager, reverse("alumni:leave", args=[pk]), allowed=(404,) if unknown else (200, 302, 403, 404))
    with isolated():
        response = post(cast.manager, reverse("alumni:leave", args=[pk]), {"reason": "other"})
        assert response.status_code in ((404,) if unknown else (200, 302, 403, 404))
    for name, args in [("detail", [pk]), ("rehire", [pk]), ("revoke", [alumni["profile"].pk, other])]:
        with isolated():
            get(cast.hr, reverse(f"alumni:{name}", args=args), allowed=(200, 302, 404))
    for name, args in [("invite", [pk]), ("referral_status", [pk]), ("revoke", [pk, other])]:
        with isolated():
            post(cast.hr, reverse(f"alumni:{name}", args=args), {"status": "hired"})


@settings(max_examples=15)
@given(token=st.one_of(anything, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)))
def test_invitation_tokens(cast, alumni, token):
    """Anyone may follow a link: a forged, truncated or hostile token is a clear page, never a 500."""
    path = reverse("alumni:accept", args=["t"]).replace("/t/", f"/{quote(token, safe='')}/")
    with isolated():
        get(None, path, allowed=(404, 410))
