"""A company where every free-text field a person writes holds a script payload, and one URL for every
URL pattern of the project, built from its real objects.

`payload(tag)` is what is stored; `shown(tag)` is its start as Django's escaping renders it, so a page that
contains `shown(tag)` really shows that field, escaped. Every field has its own tag ("Model.field").
"""

import datetime
import json
import re
from pathlib import Path
from types import SimpleNamespace

from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from alliance import tokens
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


# --- Every URL pattern -------------------------------------------------------------------------------

# Who requests each URL: one allowed to use it (HR unless said otherwise).
ROLE = {
    "notification_open": "report_report",
    "tours:sign": "report_report",
    "tours:check_in": "report",  # the manager side has not checked in yet
    "networks:edit": "report_report",
    "networks:delete": "report_report",
    "alumni:me": "alumnus",
    "alumni:me_edit": "alumnus",
    "alumni:me_export": "alumnus",
    "alumni:me_delete": "alumnus",
    "alumni:refer": "alumnus",
    "alumni:accept": "anonymous",
    "calendars:feed": "anonymous",
    "activate": "anonymous",
    "password_reset": "anonymous",
    "password_reset_done": "anonymous",
    "password_reset_confirm": "anonymous",
    "password_reset_complete": "anonymous",
    "login": "anonymous",
}

# The path arguments of each named pattern that takes some.
ARGS = {
    "notification_open": lambda w: {"pk": w.notification.pk},
    "people:detail": lambda w: {"pk": w.cast.report_report.pk},
    "people:edit": lambda w: {"pk": w.cast.report_report.pk},
    "people:undo_departure": lambda w: {"pk": w.cast.alumnus.pk},
    "tours:programme_edit": lambda w: {"pk": w.programme.pk},
    "tours:programme_delete": lambda w: {"pk": w.programme.pk},
    "tours:delete": lambda w: {"pk": w.successor.pk},
    "networks:edit": lambda w: {"pk": w.unrated.pk},
    "networks:delete": lambda w: {"pk": w.unrated.pk},
    "networks:detail": lambda w: {"pk": w.rated.pk},
    "networks:rate": lambda w: {"pk": w.rated.pk},
    "networks:event": lambda w: {"pk": w.event.pk},
    "networks:event_edit": lambda w: {"pk": w.event.pk},
    "networks:event_attend": lambda w: {"pk": w.event.pk},
    "alumni:referral_status": lambda w: {"pk": w.referral.pk},
    "alumni:leave": lambda w: {"pk": w.cast.report_report.pk},
    "alumni:accept": lambda w: {"token": w.token},
    "activate": lambda w: {"token": w.link_token},
    "people:import_status": lambda w: {"pk": w.import_job.pk},
    "people:import_send_links": lambda w: {"pk": w.import_job.pk},
    "people:import_retry": lambda w: {"pk": w.import_job.pk},
    "people:send_link": lambda w: {"pk": w.cast.other.pk},
    "alumni:detail": lambda w: {"pk": w.profile.pk},
    "alumni:invite": lambda w: {"pk": w.profile.pk},
    "alumni:revoke": lambda w: {"pk": w.profile.pk, "invitation_pk": w.invitation.pk},
    "alumni:rehire": lambda w: {"pk": w.profile.pk},
    "password_reset_confirm": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.cast.other.user.pk)),
        "token": default_token_generator.make_token(w.cast.other.user),
    },
    "token_revoke": lambda w: {"pk": _token(w).pk},
    "signin:reset": lambda w: {"pk": w.cast.other.pk},
    "mfa_edit_webauthn": lambda w: {"pk": w.passkey.pk},
    "mfa_remove_webauthn": lambda w: {"pk": w.passkey.pk},
    "openid_connect_login": lambda w: {"provider_id": "sso"},
    "openid_connect_callback": lambda w: {"provider_id": "sso"},
    "admin:app_list": lambda w: {"app_label": "tours"},
    "webhooks:detail": lambda w: {"pk": w.endpoint.pk},
    "webhooks:toggle": lambda w: {"pk": w.endpoint.pk},
    "webhooks:delete": lambda w: {"pk": w.endpoint.pk},
    "calendars:feed": lambda w: {"secret": w.feed.secret},
    "calendars:tour": lambda w: {"pk": w.tour.pk},
    "calendars:event": lambda w: {"pk": w.event.pk},
    "admin:view_on_site": lambda w: _view_on_site(w),
    "admin:auth_user_password_change": lambda w: {"id": w.cast.other.user.pk},
}
# SCIM (token only: tests/scim/ calls them with a token; here a session must be refused).
ARGS["scim:resource_type"] = lambda w: {"name": "User"}
ARGS["scim:schema"] = lambda w: {"urn": "urn:ietf:params:scim:schemas:core:2.0:User"}
ARGS["scim:user"] = lambda w: {"pk": str(w.cast.other.pk)}
ARGS["scim:group"] = lambda w: {"pk": str(w.cast.other.team_id)}
# The REST API (config/api.py): the same objects as the pages.
ARGS.update({
    "api:person-detail": lambda w: {"pk": w.cast.report_report.pk},
    "api:tour-detail": lambda w: {"pk": w.tour.pk},
    "api:checkin-detail": lambda w: {"pk": w.tour.checkins.order_by("pk").first().pk},
    "api:insight-detail": lambda w: {"pk": w.rated.pk},
    "api:alumnus-detail": lambda w: {"pk": w.profile.pk},
    "api:report-detail": lambda w: {"slug": "tours-coverage"},
})  # fmt: skip
ROLE["api:alumnus-me"] = "alumnus"
for _name in ("detail", "print", "edit", "propose", "sign", "comment", "compare", "check_in", "plan_next", "end"):
    ARGS[f"tours:{_name}"] = lambda w: {"pk": w.tour.pk}
for _name in ("workspace", "point_add", "note_save", "we_met"):
    ARGS[f"meetings:{_name}"] = lambda w: {"pk": w.tour.pk}
for _name in ("point_cover", "point_delete"):
    ARGS[f"meetings:{_name}"] = lambda w: {"pk": w.point.pk}


def _token(w):
    """An API token of HR's (the role that visits the URL), made once per world."""
    if not hasattr(w, "api_token"):
        w.api_token, _ = tokens.issue(w.cast.hr.user, name="world", scopes=["read"])
    return w.api_token


def _view_on_site(w):
    from django.contrib.contenttypes.models import ContentType

    from alliance.models import Employee

    return {"content_type_id": ContentType.objects.get_for_model(Employee).pk, "object_id": w.cast.report.pk}


def patterns(resolvers=None, prefix="", namespace=None):
    """(route, name) for every URL pattern of the project, admin included; name is None for unnamed ones."""
    for p in get_resolver().url_patterns if resolvers is None else resolvers:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name


def _admin_object(route):
    """The first object of the model an admin route names, e.g. admin/tours/tour/<path:object_id>/change/."""
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == match.groups())
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the world has no {model.__name__} for {route}"
    return obj.pk


def urls(world):
    """[(label, path, role)] for every URL pattern. Raises if a pattern with arguments has no entry in ARGS."""
    result = []
    for route, name in patterns():
        role = "hr" if name is None or name.startswith("admin:") else ROLE.get(name, "hr")
        if name is None and route == "admin/(?P<url>.*)$":
            result.append(("admin catch-all", "/admin/no-such-page/", role))
        elif name is None and route.startswith("admin/"):  # ModelAdmin's <object_id>/ redirect to the change page
            result.append((route, "/" + route.replace("<path:object_id>", str(_admin_object(route))), role))
        elif name is None:
            raise AssertionError(f"an unnamed URL pattern: {route}")
        elif name.startswith("admin:") and "<path:object_id>" in route and name != "admin:view_on_site":
            result.append((name, reverse(name, kwargs={"object_id": _admin_object(route)}), role))
        elif "<" in route or "(?P" in route:
            if name not in ARGS:
                raise AssertionError(f"{name} ({route}) takes arguments: add it to tests/security/world.py ARGS")
            result.append((name, reverse(name, kwargs=ARGS[name](world)), role))
        else:
            result.append((name, reverse(name), role))
    return result
