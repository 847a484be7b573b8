"""A company where every free-text field a person writes holds a script payload, and one URL for every
URL pattern of the project, built from its real objects.

`payload(tag)` is what is stored; `shown(tag)` is its start as Django's escaping renders it, so a page that
contains `shown(tag)` really shows that field, escaped. Every field has its own tag ("Model.field").
"""

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.factories import EmployeeFactory, ProgrammeFactory

PASSKEY = (Path(__file__).parent / "passkey.json").read_text()
TAIL = "<img src=x onerror=alert(1)>\"'"
STORED = set()  # the tag of every field build() wrote a payload into


def payload(tag, short=False):
    """Short fields (at most 40 characters) get the script alone."""
    STORED.add(tag)
    return f'<script>alert("{tag}")</script>' + ("" if short else TAIL)


def shown(tag):
    return escape(f'<script>alert("{tag}")')


def url_payload(tag):
    """A valid URL (URLField) carrying the payload in its query: no spaces."""
    STORED.add(tag)
    return f'https://example.com/?<script>alert("{tag}")</script>"\''


# Fields that only the Django admin shows (HR's admin); every other field has a page of its own.
ADMIN_ONLY = {"Rehire.reason"}


def _set(obj, **fields):
    for name, tag in fields.items():
        setattr(obj, name, payload(tag))
    obj.save()
    return obj


def build(cast, client):
    """Everything through the services (or the rating form); what has no service is written like the admin would."""
    STORED.clear()  # what this build writes: other tests' payloads in this process (any order under xdist) are not
    from alliance.models import CompanyValue, Notification, Organization
    from alumni import services as alumni_services
    from alumni.models import Departure, Invitation, ProfileReminder, Referral, Rehire, hash_token
    from networks import fund
    from networks.models import Attendance, Contribution, Event, FundBudget, Tag
    from tours import reminders, rules, services
    from tours.models import Tour
    from tours.timeline import open_due_dates

    hr, manager, report, rr, alumnus = cast.hr, cast.manager, cast.report, cast.report_report, cast.alumnus
    hr.user.is_staff = hr.user.is_superuser = True  # HR also runs the Django admin
    hr.user.save()

    org = _set(Organization.load(), name="Organization.name", mission="Organization.mission")
    value = CompanyValue.objects.create(
        organization=org, name=payload("CompanyValue.name"), description=payload("CompanyValue.description")
    )
    _set(rr.team, name="Team.name")
    _set(
        rr,
        first_name="Employee.first_name",
        last_name="Employee.last_name",
        job_title="Employee.job_title",
        core_values="Employee.core_values",
        aspirations="Employee.aspirations",
        post_company_goal="Employee.post_company_goal",
    )
    rr.employee_number = payload("E.no", short=True)
    rr.save()
    programme = ProgrammeFactory(
        name=payload("Programme.name"),
        description=payload("Programme.description"),
        default_title=payload("Programme.default_title"),
        default_mission=payload("Programme.default_mission"),
        default_company_gets=payload("Programme.default_company_gets"),
        default_employee_gets=payload("Programme.default_employee_gets"),
        default_objectives=payload("Programme.default_objectives"),
    )

    # The tour of the report's report: agreed 100 days ago (a check-in is due), then amended.
    start = timezone.localdate() - datetime.timedelta(days=100)
    terms = {
        f: payload(f"TourRevision.{f}")
        for f in ("title", "mission", "company_gets", "employee_gets", "company_invests", "aspirations_served")
    }
    terms.update(
        start_date=start,
        end_date=rules.add_months(start, 72) - datetime.timedelta(days=1),  # six years: needs a reason
        checkin_months=3,
        length_reason=payload("TourRevision.length_reason"),
    )
    objectives = [
        {"side": "employee", "description": payload("Objective.description"), "measure": payload("Objective.measure")}
    ]
    tour = services.tour_create(
        employee=rr, tour_type="transformational", programme=None, terms=terms, objectives=objectives,
        values=[value], author=report.user,
    )  # fmt: skip
    services.tour_propose(tour=tour, user=report.user)
    services.tour_sign(tour=tour, user=rr.user, revision_number=1)
    services.tour_sign(tour=tour, user=report.user, revision_number=1)
    tour.refresh_from_db()
    services.tour_comment(tour=tour, user=manager.user, body=payload("Comment.body"))
    services.tour_check_in(
        tour=tour, user=rr.user, due_on=open_due_dates(tour, "employee")[0], other_side_keeping="yes",
        note=payload("CheckIn.note"), progress=[(tour.agreed_revision.objectives.get(), "on_track",
                                                 payload("CheckInProgress.note"))],
    )  # fmt: skip
    # The 1:1 workspace: a talking point on the open agenda, and the employee's private note (theirs alone).
    from meetings import services as meeting_services

    point = meeting_services.point_add(tour=tour, user=rr.user, text=payload("TalkingPoint.text"))
    meeting_services.note_save(tour=tour, user=rr.user, text=payload("PrivateNote.text"))
    services.tour_revise(
        tour=tour, base_number=1, terms={**terms, "mission": payload("TourRevision.mission (amended)")},
        objectives=objectives, values=[value], author=report.user, change_note=payload("TourRevision.change_note"),
    )  # fmt: skip
    successor = services.tour_plan_next(tour=tour, user=report.user)  # a draft: "Next: <title>"
    reminders.send_tour_reminders()  # the check-in due from the manager's side

    # The report's rotational tour from the programme, ended early with a reason.
    rotation = services.tour_create(
        employee=report, tour_type="rotational", programme=programme,
        terms={**terms, "end_date": rules.rotational_end(programme, start), "length_reason": ""},
        objectives=objectives, values=[], author=manager.user,
    )  # fmt: skip
    services.tour_propose(tour=rotation, user=manager.user)
    services.tour_sign(tour=rotation, user=report.user, revision_number=1)
    services.tour_sign(tour=rotation, user=manager.user, revision_number=1)
    services.tour_end(
        tour=rotation, ended_on=timezone.localdate(), outcome=Tour.Outcome.ENDED_EARLY,
        end_reason=payload("Tour.end_reason"), company_kept="yes", employee_kept="partly",
    )  # fmt: skip

    # Insights: one rated and acted on through the rating form (which notifies and emails), one not rated.
    texts = {f: payload(f"Contribution.{f}") for f in ("title", "insight", "source")}
    rated = Contribution.objects.create(contributor=rr, kind="market", visibility="everyone", **texts)
    unrated = Contribution.objects.create(contributor=rr, kind="talent", visibility="managers", **texts)
    tag = Tag.objects.create(name=payload("tag", short=True))
    rated.tags.add(tag)
    unrated.tags.add(tag)
    client.force_login(manager.user)
    response = client.post(
        reverse("networks:rate", args=[rated.pk]),
        {"rating": 4, "acted_on": "on", "outcome": payload("Contribution.outcome")},
    )
    assert response.status_code == 302, response.content
    client.logout()
    fund.log_spend(
        employee=rr, spent_on=timezone.localdate(), amount=50, what="event", note=payload("FundSpend.note"),
        contributions=[rated],
    )  # fmt: skip
    FundBudget.objects.create(employee=rr, year=timezone.localdate().year, amount=2000, set_by=hr.user)
    event = Event.objects.create(
        date=timezone.localdate(), created_by=manager.user,
        **{f: payload(f"Event.{f}") for f in ("title", "place", "description", "learned")},
    )  # fmt: skip
    Attendance.objects.create(event=event, employee=rr)

    # The alumnus: profile (listed, showing the link), departure with HR's notes, a referral, a rehire record.
    profile = alumnus.alumni_profile
    _set(
        profile,
        current_employer="AlumniProfile.current_employer",
        current_title="AlumniProfile.current_title",
        location="AlumniProfile.location",
        note="AlumniProfile.note",
    )
    profile.profile_url = url_payload("AlumniProfile.profile_url")
    profile.listed = profile.show_profile_url = profile.mentoring = True
    profile.save()
    departure = Departure.objects.create(
        employee=alumnus, departure_date=alumnus.departure_date, reason="resigned", rehire_eligible=False,
        exit_notes=payload("Departure.exit_notes"), rehire_reason=payload("Departure.rehire_reason"),
        recorded_by=manager.user,
    )  # fmt: skip
    referral = Referral.objects.create(
        referrer=alumnus,
        **{f: payload(f"Referral.{f}") for f in ("candidate_name", "contact", "role_of_interest", "note")},
    )
    Rehire.objects.create(
        employee=alumnus, rehired_on=alumnus.departure_date - datetime.timedelta(days=400), departure=departure,
        by=hr.user, reason=payload("Rehire.reason"),
    )  # fmt: skip
    ProfileReminder.objects.create(profile=profile, quarter="2020-Q1")
    invitation = alumni_services.send_invitation(employee=alumnus, by=hr.user)
    token = "a-token-for-the-tests"
    Invitation.objects.create(
        employee=alumnus, token_hash=hash_token(token), sent_by=hr.user,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    # django-axes' sign-in records, which HR sees in the admin: a lockout, a failure log, a sign-in log.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(username="x@example.com", get_data="", post_data="", failures_since_start=5, **seen)
    AccessFailureLog.objects.create(username="x@example.com", locked_out=True, **seen)
    AccessLog.objects.create(username="x@example.com", **seen)
    # A finished CSV import, and a new person's open sign-in link (activation).
    from alliance.models import ImportJob, SignInLink
    from alliance.models import hash_token as link_hash

    import_job = ImportJob.objects.create(owner=hr.user, state=ImportJob.State.DONE, row_count=1)
    link_token = "a-sign-in-token-for-the-tests"
    newcomer = EmployeeFactory(first_name="Nova", last_name="Newcomer", user__email="nova@test.example")
    newcomer.user.set_unusable_password()  # a link is for someone who has not chosen a password yet
    newcomer.user.save()
    SignInLink.objects.create(
        employee=newcomer, token_hash=link_hash(link_token), sent_by=hr.user,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    # An email waiting for the background worker (django-tasks-db), which staff see in the admin.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        task_path="alliance.mail.emails_send", backend_name="default", queue_name="default",
        args_kwargs={"args": [], "kwargs": {"ids": [1]}},
    )  # fmt: skip
    # Company sign-in: a failed sign-in typed with a payload (the sign-in log shows it) and a passkey of HR's.
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from signin.models import SignInEvent

    SignInEvent.objects.create(
        kind=SignInEvent.Kind.FAILED, email=payload("SignInEvent.email"), detail=payload("SignInEvent.detail")
    )
    # HR's authenticator app and recovery codes (their pages need them), and a passkey as Chromium's virtual
    # authenticator registered it (tests/signin/test_browser.py), saved once.
    passkey = Authenticator.objects.create(user=hr.user, type=Authenticator.Type.WEBAUTHN, data=json.loads(PASSKEY))
    TOTP.activate(hr.user, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(hr.user)
    # HR's webhook endpoint (its description is HR's words) and the report's report's calendar feed.
    from calendars.models import CalendarFeed
    from webhooks.models import Endpoint

    endpoint = Endpoint.objects.create(
        url="http://127.0.0.1:9/hook", description=payload("Endpoint.description"), events=["tour.ended"],
        created_by=hr.user,
    )  # fmt: skip
    feed = CalendarFeed.objects.create(user=rr.user)
    return SimpleNamespace(
        endpoint=endpoint, feed=feed,
        cast=cast, org=org, programme=programme, tour=tour, successor=successor, rotation=rotation,
        rated=rated, unrated=unrated, event=event, profile=profile, referral=referral, invitation=invitation,
        token=token, import_job=import_job, link_token=link_token, passkey=passkey, point=point,
        notification=Notification.objects.filter(user=rr.user).first(),
    )  # fmt: skip


# Every URL pattern, each with one URL (tests/security/every_url.py).
from tests.security.every_url import patterns, urls  # noqa: E402,F401
