"""Every URL × every member of the cast → the expected status code.

A denial is only meaningful next to a success: each row has at least one role that gets 200, so a
403/404 is proved to come from the access rule and not from a broken page. Later areas add rows.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES
from tests.factories import EmployeeFactory, ProgrammeFactory, make_tour


def expect(default, **overrides):
    """Expected status per role: `default` for everyone signed in, 302 (to sign-in) for anonymous."""
    statuses = dict.fromkeys(ROLES, default)
    statuses["anonymous"] = 302
    statuses.update(overrides)
    return statuses


EVERYONE = expect(200)
HR_ONLY = expect(403, hr=200)
DIRECTORY = expect(403, hr=200, manager=200, report=200)  # HR and anyone with reports
SEES_TOUR = expect(404, hr=200, manager=200, report=200, report_report=200)
PARTY_OR_HR = expect(404, hr=200, manager=403, report=200, report_report=200)
PARTY_OR_HR_POST = expect(404, hr=302, manager=403, report=302, report_report=302)
PARTY = expect(404, hr=403, manager=403, report=200, report_report=200)
PARTY_POST = expect(404, hr=403, manager=403, report=302, report_report=302)


def insight_url(cast, name):
    from networks.models import Contribution

    c = Contribution.objects.create(
        contributor=cast.report_report, kind="market", title="t", insight="i", visibility="managers"
    )
    return reverse(f"networks:{name}", args=[c.pk])


def referral(cast):
    from alumni.models import Referral

    return Referral.objects.create(referrer=cast.alumnus, candidate_name="C", contact="c@example.com")


def invitation(cast):
    """An open invitation for a departed employee who has not joined yet; returns (invitation, token)."""
    from alumni.models import AlumniProfile, Invitation, hash_token

    alumnus = EmployeeFactory(departure_date=datetime.date.today() - datetime.timedelta(days=3))
    AlumniProfile.objects.create(employee=alumnus)
    token = f"matrix-{alumnus.pk}"
    created = Invitation.objects.create(
        employee=alumnus,
        token_hash=hash_token(token),
        sent_by=cast.hr.user,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    return created, token


def new_hire(cast):
    """A person below the report's report who has not chosen a password yet."""
    person = EmployeeFactory(manager=cast.report_report)
    person.user.set_unusable_password()
    person.user.save()
    return person


def sign_in_token(cast):
    """An open sign-in link for a new hire; returns its token."""
    from alliance.models import SignInLink
    from alliance.models import hash_token as hash_link_token

    token = "matrix-sign-in"
    SignInLink.objects.create(
        employee=new_hire(cast),
        token_hash=hash_link_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    return token


def import_job(cast):
    from alliance.models import ImportJob

    return ImportJob.objects.create(owner=cast.hr.user, state=ImportJob.State.DONE, row_count=1, counts={"create": 1})


def event(cast):
    from networks.models import Event

    return Event.objects.create(title="Meetup", date=datetime.date.today(), created_by=cast.manager.user)


def endpoint(cast):
    from webhooks.models import Endpoint

    return Endpoint.objects.create(url="http://127.0.0.1:9/hook", events=["tour.ended"], created_by=cast.hr.user)


def calendar_feed(cast):
    """The report's feed secret: the feed answers whoever has the link."""
    from calendars.models import CalendarFeed

    return CalendarFeed.objects.create(user=cast.report.user).secret


PARTIES = ("hr", "manager", "report", "report_report")  # those who see the report's report's tour


def calendar_tour_url(cast):
    start = datetime.date.today() - datetime.timedelta(days=100)
    return reverse("calendars:tour", args=[make_tour(cast.report_report, state="agreed", start=start).pk])


def tour_url(cast, name, state="draft"):
    """A tour of the report's report, in the state the action needs (agreed ones started 100 days ago)."""
    start = datetime.date.today() - datetime.timedelta(days=100) if state == "agreed" else None
    return reverse(f"tours:{name}", args=[make_tour(cast.report_report, state=state, start=start).pk])


def meeting_url(cast, name):
    """The 1:1 workspace of the report's report's agreed tour (its first check-in fell due 8 days ago)."""
    start = datetime.date.today() - datetime.timedelta(days=100)
    return reverse(f"meetings:{name}", args=[make_tour(cast.report_report, state="agreed", start=start).pk])


def point_url(cast, name):
    """A talking point the report's report put on that agenda."""
    from meetings import services

    start = datetime.date.today() - datetime.timedelta(days=100)
    tour = make_tour(cast.report_report, state="agreed", start=start)
    point = services.point_add(tour=tour, user=cast.report_report.user, text="Conference budget")
    return reverse(f"meetings:{name}", args=[point.pk])


MATRIX = [
    ("dashboard", lambda c: reverse("dashboard"), EVERYONE),
    ("company", lambda c: reverse("company"), EVERYONE),
    ("account", lambda c: reverse("account"), EVERYONE),
    ("company edit", lambda c: reverse("company_edit"), HR_ONLY),
    ("design specimen", lambda c: reverse("design"), HR_ONLY),
    ("notifications", lambda c: reverse("notifications"), EVERYONE),
    ("notifications mark all read", lambda c: reverse("notification_read_all"), expect(302), "post"),
    # The email preference (a POST; without a choice it is the account page again with the form's error).
    ("account email", lambda c: reverse("account_mail"), EVERYONE, "post"),
    ("people list", lambda c: reverse("people:list"), DIRECTORY),
    ("person create", lambda c: reverse("people:create"), HR_ONLY),
    ("people import", lambda c: reverse("people:import"), HR_ONLY),
    # The person picker's suggestions: employees (within what they may see) and HR; alumni are refused.
    ("people search", lambda c: reverse("people:search") + "?q=Ri", expect(200, alumnus=403)),
    # POST-only: an empty confirmation sends HR back to the upload page; everyone else is refused.
    ("people import apply", lambda c: reverse("people:import_apply"), expect(403, hr=302), "post"),
    ("people import status", lambda c: reverse("people:import_status", args=[import_job(c).pk]), HR_ONLY),
    (
        "people import retry",
        lambda c: reverse("people:import_retry", args=[import_job(c).pk]),
        expect(403, hr=302),
        "post",
    ),
    (
        "people import send links",
        lambda c: reverse("people:import_send_links", args=[import_job(c).pk]),
        expect(403, hr=302),
        "post",
    ),
    # Seen by HR and the three managers above the new hire; only HR may send.
    (
        "person send sign-in link",
        lambda c: reverse("people:send_link", args=[new_hire(c).pk]),
        expect(404, hr=302, manager=403, report=403, report_report=403),
        "post",
    ),
    # The sign-in link needs no sign-in: the token is the credential.
    ("activate account", lambda c: reverse("activate", args=[sign_in_token(c)]), expect(200, anonymous=200)),
    # The report's report: seen by HR, themself and both managers above them.
    (
        "person detail (bottom of the chain)",
        lambda c: reverse("people:detail", args=[c.report_report.pk]),
        expect(404, hr=200, manager=200, report=200, report_report=200),
    ),
    # The manager's page: their direct reports (the report, and the alumnus, who has left) see the
    # card; their report's report does not.
    (
        "person detail (manager)",
        lambda c: reverse("people:detail", args=[c.manager.pk]),
        expect(404, hr=200, manager=200, report=200),
    ),
    (
        "person edit",
        lambda c: reverse("people:edit", args=[c.report.pk]),
        expect(404, hr=200, manager=403, report=403, report_report=403),  # Rita is Ravi's manager
    ),
    # POST-only, confirmed: HR undoes the alumnus's departure; their manager sees them but may not.
    (
        "person undo departure",
        lambda c: reverse("people:undo_departure", args=[c.alumnus.pk]),
        expect(404, hr=302, manager=403),
        "post",
    ),
    # Tours. The tour belongs to the report's report: its parties are them and their manager (the
    # report); the manager above sees it but is no party; HR sees all and signs nothing.
    ("tour list", lambda c: reverse("tours:index"), expect(200, alumnus=403)),
    ("tour create", lambda c: reverse("tours:create"), expect(200, alumnus=403)),
    ("tour detail", lambda c: tour_url(c, "detail"), SEES_TOUR),
    ("tour print", lambda c: tour_url(c, "print"), SEES_TOUR),
    ("tour compare", lambda c: tour_url(c, "compare"), SEES_TOUR),
    (
        "tour comment",
        lambda c: tour_url(c, "comment"),
        expect(404, hr=302, manager=302, report=302, report_report=302),
        "post",
    ),
    ("tour edit", lambda c: tour_url(c, "edit"), PARTY_OR_HR),
    ("tour delete", lambda c: tour_url(c, "delete"), PARTY_OR_HR),
    ("tour propose", lambda c: tour_url(c, "propose"), PARTY_OR_HR_POST, "post"),
    ("tour sign", lambda c: tour_url(c, "sign", "proposed"), PARTY_POST, "post"),
    ("tour check-in", lambda c: tour_url(c, "check_in", "agreed"), PARTY),
    ("tour plan next", lambda c: tour_url(c, "plan_next", "agreed"), PARTY_OR_HR_POST, "post"),
    (
        "tour end",
        lambda c: tour_url(c, "end", "agreed"),
        expect(404, hr=200, manager=403, report=200, report_report=403),
    ),
    # The 1:1 workspace: whoever sees the tour reads it; the parties and HR add to the agenda and keep notes;
    # the parties alone record "We met"; a point is removed by its author. Empty POSTs: a form with errors (200).
    ("meeting workspace", lambda c: meeting_url(c, "workspace"), SEES_TOUR),
    ("meeting add point", lambda c: meeting_url(c, "point_add"), PARTY_OR_HR, "post"),
    ("meeting private note", lambda c: meeting_url(c, "note_save"), PARTY_OR_HR_POST, "post"),
    ("meeting we met", lambda c: meeting_url(c, "we_met"), PARTY, "post"),
    ("meeting point covered", lambda c: point_url(c, "point_cover"), PARTY_OR_HR_POST, "post"),
    (
        "meeting point delete",
        lambda c: point_url(c, "point_delete"),
        expect(404, hr=403, manager=403, report=403, report_report=302),
        "post",
    ),
    ("programmes", lambda c: reverse("tours:programmes"), HR_ONLY),
    ("programme create", lambda c: reverse("tours:programme_create"), HR_ONLY),
    ("programme edit", lambda c: reverse("tours:programme_edit", args=[ProgrammeFactory().pk]), HR_ONLY),
    ("programme delete", lambda c: reverse("tours:programme_delete", args=[ProgrammeFactory().pk]), HR_ONLY),
    # Network intelligence. The insight is the report's report's, shared with managers and HR.
    ("network feed", lambda c: reverse("networks:index"), expect(200, alumnus=403)),
    ("insights CSV export", lambda c: reverse("networks:export"), HR_ONLY),
    ("my insights", lambda c: reverse("networks:mine"), EVERYONE),
    ("insights to rate", lambda c: reverse("networks:to_rate"), DIRECTORY),
    ("share an insight", lambda c: reverse("networks:create"), EVERYONE),
    (
        "insight detail",
        lambda c: insight_url(c, "detail"),
        expect(404, hr=200, manager=200, report=200, report_report=200),
    ),
    (
        "insight edit",
        lambda c: insight_url(c, "edit"),
        expect(404, hr=403, manager=403, report=403, report_report=200),
    ),
    (
        "insight delete",
        lambda c: insight_url(c, "delete"),
        expect(404, hr=403, manager=403, report=403, report_report=200),
    ),
    (
        "insight rate",
        lambda c: insight_url(c, "rate"),
        expect(404, hr=200, manager=200, report=200, report_report=403),
    ),
    ("my fund", lambda c: reverse("networks:fund"), expect(200, alumnus=403)),
    ("log spending", lambda c: reverse("networks:spend"), expect(200, alumnus=403)),
    ("team fund", lambda c: reverse("networks:team_fund"), DIRECTORY),
    ("fund budgets", lambda c: reverse("networks:budgets"), HR_ONLY),
    ("events", lambda c: reverse("networks:events"), expect(200, alumnus=403)),
    ("event create", lambda c: reverse("networks:event_create"), DIRECTORY),
    ("event detail", lambda c: reverse("networks:event", args=[event(c).pk]), expect(200, alumnus=403)),
    ("event edit", lambda c: reverse("networks:event_edit", args=[event(c).pk]), expect(403, hr=200, manager=200)),
    (
        "event attend",
        lambda c: reverse("networks:event_attend", args=[event(c).pk]),
        expect(302, alumnus=403),
        "post",
    ),
    # Alumni. The alumnus reaches only their own pages and the directory.
    ("alumni index", lambda c: reverse("alumni:index"), expect(302)),
    ("alumni roster", lambda c: reverse("alumni:roster"), HR_ONLY),
    ("alumni roster csv", lambda c: reverse("alumni:roster_csv"), HR_ONLY),
    ("alumni directory", lambda c: reverse("alumni:directory"), EVERYONE),
    ("alumni referrals", lambda c: reverse("alumni:referrals"), HR_ONLY),
    (
        "alumni referral status",
        lambda c: reverse("alumni:referral_status", args=[referral(c).pk]),
        expect(403, hr=302),
        "post",
    ),
    ("alumni me", lambda c: reverse("alumni:me"), expect(403, alumnus=200)),
    ("alumni me edit", lambda c: reverse("alumni:me_edit"), expect(403, alumnus=200)),
    ("alumni me export", lambda c: reverse("alumni:me_export"), expect(403, alumnus=200)),
    ("alumni me delete", lambda c: reverse("alumni:me_delete"), expect(403, alumnus=200)),
    ("alumni refer", lambda c: reverse("alumni:refer"), expect(403, alumnus=200)),
    (
        "alumni leave (bottom of the chain)",
        lambda c: reverse("alumni:leave", args=[c.report_report.pk]),
        expect(404, hr=200, manager=200, report=200, report_report=403),
    ),
    ("alumni profile (HR)", lambda c: reverse("alumni:detail", args=[c.alumnus.alumni_profile.pk]), HR_ONLY),
    (
        "alumni invite",
        lambda c: reverse("alumni:invite", args=[c.alumnus.alumni_profile.pk]),
        expect(403, hr=302),
        "post",
    ),
    (
        "alumni revoke invitation (confirmation)",
        lambda c: (lambda i: reverse("alumni:revoke", args=[i.employee.alumni_profile.pk, i.pk]))(invitation(c)[0]),
        HR_ONLY,
    ),
    # The invitation link needs no sign-in: the token is the credential.
    (
        "alumni accept invitation",
        lambda c: reverse("alumni:accept", args=[invitation(c)[1]]),
        expect(200, anonymous=200),
    ),
    ("alumni rehire", lambda c: reverse("alumni:rehire", args=[c.alumnus.alumni_profile.pk]), HR_ONLY),
    # Reports: HR and managers (their subtree's figures); employees and alumni are refused.
    ("reports index", lambda c: reverse("reports"), DIRECTORY),
    # The horizon: managers (their subtree) and HR (the company); employees and alumni are refused.
    ("horizon", lambda c: reverse("horizon"), DIRECTORY),
    ("horizon by department", lambda c: reverse("horizon") + f"?team={c.report.team.pk}", DIRECTORY),
    ("report: tours at risk", lambda c: reverse("tours:report_at_risk"), DIRECTORY),
    ("report: coverage", lambda c: reverse("tours:report_coverage"), DIRECTORY),
    ("report: alumni", lambda c: reverse("alumni:report"), DIRECTORY),
    ("report: outcomes", lambda c: reverse("tours:report_outcomes"), DIRECTORY),
    ("report: network", lambda c: reverse("networks:report"), DIRECTORY),
    ("report: check-ins", lambda c: reverse("tours:report_checkins"), DIRECTORY),
    # The audit trail (who changed what): HR only, filtered or not.
    ("audit trail", lambda c: reverse("audit:list"), HR_ONLY),
    ("audit trail about a person", lambda c: reverse("audit:list") + f"?person={c.report.employee_number}", HR_ONLY),
    # Company sign-in: the sign-in log and resetting someone's second factor are HR's; every signed-in person
    # manages their own second factor.
    ("sign-in log", lambda c: reverse("signin:log"), HR_ONLY),
    ("second factor reset (confirmation)", lambda c: reverse("signin:reset", args=[c.report.pk]), HR_ONLY),
    ("second factor reset", lambda c: reverse("signin:reset", args=[c.report.pk]), expect(403, hr=302), "post"),
    ("two-factor pages", lambda c: reverse("mfa_index"), EVERYONE),
    # Webhooks: HR only; the calendar link for employees and HR; "Add to calendar" files as their pages.
    ("webhooks", lambda c: reverse("webhooks:list"), HR_ONLY),
    ("webhook create", lambda c: reverse("webhooks:create"), HR_ONLY),
    ("webhook detail", lambda c: reverse("webhooks:detail", args=[endpoint(c).pk]), HR_ONLY),
    ("webhook delete", lambda c: reverse("webhooks:delete", args=[endpoint(c).pk]), HR_ONLY),
    ("webhook toggle", lambda c: reverse("webhooks:toggle", args=[endpoint(c).pk]), expect(403, hr=302), "post"),
    ("calendar link", lambda c: reverse("calendars:link"), expect(302, alumnus=403), "post"),
    ("calendar feed", lambda c: reverse("calendars:feed", args=[calendar_feed(c)]), expect(200, anonymous=200)),
    ("tour calendar file", lambda c: calendar_tour_url(c), expect(404, alumnus=403, **dict.fromkeys(PARTIES, 200))),
    ("event calendar file", lambda c: reverse("calendars:event", args=[event(c).pk]), expect(200, alumnus=403)),
    ("healthz", lambda c: reverse("healthz"), expect(200, anonymous=200)),
    ("sign in", lambda c: reverse("login"), expect(302, anonymous=200)),
]


def _cases():
    for name, url, statuses, *method in MATRIX:
        allowed = [role for role, status in statuses.items() if role != "anonymous" and status in (200, 302)]
        assert allowed, f"{name}: no role is allowed, so no denial is proved"
        for role in ROLES:
            yield pytest.param(url, role, statuses[role], method[0] if method else "get", id=f"{name}-{role}")


@pytest.mark.parametrize(("url", "role", "status", "method"), list(_cases()))
def test_access(client_for, cast, url, role, status, method):
    response = getattr(client_for(role), method)(url(cast))
    assert response.status_code == status
    if status == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
