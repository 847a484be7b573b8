"""Erasure, checked the way a regulator would: build a full working life for one person, erase it,
then read every column of every table in the database and look for her (issue 12)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance import tokens
from alliance.background import OutgoingEmail
from alliance.models import ImportJob
from alumni import departures as alumni_departures
from alumni.models import AlumniProfile, Referral
from meetings import services as meeting_services
from networks.models import Attendance, Contribution, Event, FundSpend
from signin.models import SignInEvent
from tests.factories import EmployeeFactory, make_tour
from tours import services
from tours.models import CheckIn, Tour

TODAY = datetime.date.today()

# Who she is: never allowed anywhere after erasure.
IDENTITY = [
    "Zenobia",
    "Quillfeather",
    "Marchbanks",  # her name when hired
    "zenobia.q@test.example",
    "zen.marchbanks@test.example",  # her address when hired
    "zq@home.example",
    "ZQ-4471",
]

# Free text she wrote, or others wrote about her: gone unless KEPT says otherwise.
TEXTS = {
    "values": "Candour over comfort",
    "aspirations": "Run a lighthouse observatory in Torshavn",
    "goal": "Open a yarn shop called Woolgathering",
    "mission": "Chart the Harbourlight data estate",
    "title": "Harbourlight charting",
    "objective": "Map every Harbourlight table",
    "measure": "Tables charted per fortnight",
    "change_note": "Reworded after our walk on the pier",
    "comment": "Pier-side thoughts on the estate",
    "checkin_note": "The estate map is half drawn",
    "progress_note": "Forty tables charted, ninety to go",
    "manager_note": "Steady as a lighthouse keeper",
    "source": "my cousin Bartholomew Zink",
    "fund_note": "Oyster lunch at the Kelp Exchange",
    "token_name": "Harbourlight nightly chart export",
    "exit_notes": "Leaving for the Faroe islands",
    "profile_note": "Knitting and data, in that order",
    "employer": "Pelagic Ventures",
    "insight": "Kelp farms are buying sensor networks",
    "referral_note": "Met Ottoline at the Kelp conference",
    "note_as_manager": "Quentin keeps the buoys lit",  # she managed someone too
    "progress_as_manager": "Buoy log reviewed weekly",
    "talking_point": "The lamp-room budget for next season",
    "manager_point": "Her pier rota after the storm",
    "private_note": "Ask to move to the observatory",
    "manager_private_note": "She sounds tired of the pier",
    "point_as_manager": "Quentin's buoy rota",
    "private_note_as_manager": "Quentin could run the harbour one day",
}

# (table, column) -> why a distinctive text may stay there. Her name and email are never kept.
KEPT = {
    ("networks_contribution", "title"): "an insight is work given to the company; the contributor shows anonymised",
    ("networks_contribution", "insight"): "as above: the company acted on it, and reports count it",
    ("alumni_referral", "note"): "it describes the candidate, a third party in the hiring pipeline; no referrer",
    ("audit_historicalreferral", "note"): "the referral's own history, as above",
}


def every_value_in_the_database():
    """(table, column, value) for every non-empty value of every table, history, sign-in and
    session tables included: what a text dump of the database would show."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema itself)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value not in (None, ""):
                        text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
                        yield table, column, text


def found(needles):
    needles = [n.lower() for n in needles]
    return [
        (table, column, text[:80])
        for table, column, text in every_value_in_the_database()
        if any(n in text.lower() for n in needles)
    ]


def build_a_working_life(cast):
    """Hire, a negotiated tour she revised and signed, check-ins from both sides, insights, fund
    spend, an event, a referral, failed sign-ins, a departure that ends the tour early, a profile."""
    zen = EmployeeFactory(
        first_name="Zenobia",
        last_name="Marchbanks",
        employee_number="ZQ-4471",
        manager=cast.manager,
        team=cast.manager.team,
        user__email="zen.marchbanks@test.example",
        user__first_name="Zenobia",
        user__last_name="Marchbanks",
        core_values=TEXTS["values"],
        aspirations=TEXTS["aspirations"],
        post_company_goal=TEXTS["goal"],
    )
    Client().post(reverse("login"), {"username": "zen.marchbanks@test.example", "password": "wrong"})
    LogEntry.objects.log_actions(cast.hr.user.pk, [zen], CHANGE, change_message="Edited in the admin")
    zen.last_name, zen.user.last_name, zen.user.email = "Quillfeather", "Quillfeather", "zenobia.q@test.example"
    zen.save()  # a new name and address: the audit trail keeps the old ones
    zen.user.save()
    manager = cast.manager.user
    tour = make_tour(zen, state="draft", start=TODAY - datetime.timedelta(days=200))
    terms = {
        "title": TEXTS["title"],
        "mission": f"{TEXTS['mission']} with Zenobia in the lead",
        "company_gets": "A charted estate.",
        "employee_gets": "Cartography.",
        "start_date": tour.start_date,
        "end_date": tour.end_date,
        "checkin_months": 3,
        "aspirations_served": TEXTS["aspirations"],  # the revision's copy of her aspirations
    }
    objectives = [{"side": "employee", "description": TEXTS["objective"], "measure": TEXTS["measure"]}]
    services.tour_revise(
        tour=tour,
        base_number=1,
        terms=terms,
        objectives=objectives,
        values=[],
        author=zen.user,
        change_note=TEXTS["change_note"],
    )
    services.tour_propose(tour=tour, user=zen.user)  # tells the manager "Zenobia Quillfeather proposed ..."
    services.tour_sign(tour=tour, user=zen.user, revision_number=2)  # "Zenobia Quillfeather signed ..."
    services.tour_sign(tour=tour, user=manager, revision_number=2)
    tour.refresh_from_db()
    services.tour_comment(tour=tour, user=zen.user, body=TEXTS["comment"])
    objective = tour.agreed_revision.objectives.get()
    due = tour.start_date + datetime.timedelta(days=90)
    services.tour_check_in(
        tour=tour,
        user=zen.user,
        due_on=due,
        other_side_keeping="yes",
        note=TEXTS["checkin_note"],
        progress=[(objective, "on_track", TEXTS["progress_note"])],
    )
    services.tour_check_in(
        tour=tour,
        user=manager,
        due_on=due,
        other_side_keeping="yes",
        note=f"Zenobia: {TEXTS['manager_note']}",
        progress=[(objective, "on_track", "Zenobia is on course")],
    )
    # As a manager: her report's tour (she proposes and signs it, so he is told her name) and her check-in on it.
    quentin = EmployeeFactory(first_name="Quentin", last_name="Buoy", manager=zen)
    his_tour = make_tour(quentin, state="agreed", start=TODAY - datetime.timedelta(days=150))
    services.tour_check_in(
        tour=his_tour,
        user=zen.user,
        due_on=his_tour.start_date + datetime.timedelta(days=90),
        other_side_keeping="yes",
        note=TEXTS["note_as_manager"],
        progress=[(his_tour.agreed_revision.objectives.first(), "on_track", TEXTS["progress_as_manager"])],
    )
    # The 1:1 workspace: points on her agenda from both sides, both sides' private notes; hers on Quentin's tour.
    meeting_services.point_add(tour=tour, user=zen.user, text=TEXTS["talking_point"])
    meeting_services.point_add(tour=tour, user=manager, text=TEXTS["manager_point"])
    meeting_services.note_save(tour=tour, user=zen.user, text=TEXTS["private_note"])
    meeting_services.note_save(tour=tour, user=manager, text=TEXTS["manager_private_note"])
    meeting_services.point_add(tour=his_tour, user=zen.user, text=TEXTS["point_as_manager"])
    meeting_services.note_save(tour=his_tour, user=zen.user, text=TEXTS["private_note_as_manager"])
    insight = Contribution.objects.create(
        contributor=zen,
        kind="market",
        title=f"{TEXTS['insight']} (Zenobia)",
        insight=TEXTS["insight"],
        source=TEXTS["source"],
    )
    spend = FundSpend.objects.create(
        employee=zen, amount=Decimal("42.00"), currency="EUR", what="meal", spent_on=TODAY, note=TEXTS["fund_note"]
    )
    spend.contributions.add(insight)
    token, raw = tokens.issue(zen.user, name=TEXTS["token_name"], scopes=["read"])
    tokens.authenticate(raw, scope="read", path="/api/v1/people/?q=Zenobia", ip="203.0.113.7")
    event = Event.objects.create(title="Harbour meetup", date=TODAY, created_by=manager)
    Attendance.objects.create(event=event, employee=zen)
    Referral.objects.create(
        referrer=zen, candidate_name="Ottoline Marsh", contact="o@m.example", note=TEXTS["referral_note"]
    )
    LogEntry.objects.log_actions(cast.hr.user.pk, [tour, zen], CHANGE, change_message="Edited in the admin")
    alumni_departures.offboard(
        employee=zen,
        by=cast.hr.user,
        departure_date=TODAY,
        reason="resigned",
        exit_notes=TEXTS["exit_notes"],
        company_kept="yes",
        employee_kept="partly",
        invite=True,
        rehire_eligible=True,
        rehire_reason="Zenobia would be welcome back",
    )
    AlumniProfile.objects.filter(employee=zen).update(
        joined_at=timezone.now(),
        personal_email="zq@home.example",
        current_employer=TEXTS["employer"],
        note=TEXTS["profile_note"],
    )
    profile = AlumniProfile.objects.get(employee=zen)
    profile.note = TEXTS["profile_note"]  # a save through the model: a history row of the profile
    profile.save()
    return zen, tour


OLA_LINE = "E-77,Ola,Nordmann,ola@test.example,2026-01-05\n"


def queue_background_work_naming_her(zen):
    """Everything the background work holds: emails queued, in a running batch and sent; an import preview and a
    failed import naming her; task rows with her address (a reset waiting, one running, one failed)."""
    email = zen.user.email
    waiting = OutgoingEmail.objects.create(subject="Hi", body="Dear Zenobia Quillfeather", to=[email])
    in_batch = OutgoingEmail.objects.create(subject="Your Alliance sign-in", body="Dear Zenobia", to=[email])
    OutgoingEmail.objects.create(subject="Your Alliance sign-in", body="Dear Ola", to=["ola@test.example"])
    OutgoingEmail.objects.create(sent_at=timezone.now())  # a sent one: emptied when sent
    # Her manager's digest, naming her only in its HTML part.
    OutgoingEmail.objects.create(
        subject="Your Alliance weekly digest", body="Hello", html="<li>Zenobia Quillfeather checked in</li>", to=["m@x"]
    )
    task = {"backend_name": "default", "queue_name": "default"}
    running = DBTaskResult.objects.create(
        **task, task_path="alliance.mail.emails_send", status="RUNNING", worker_ids=["w1"],
        args_kwargs={"args": [], "kwargs": {"ids": [waiting.pk, in_batch.pk]}},
    )  # fmt: skip
    for status in ("READY", "RUNNING", "FAILED"):
        DBTaskResult.objects.create(
            **task, task_path="alliance.mail.password_reset_send", status=status,
            args_kwargs={"args": [], "kwargs": {"email": email}},
            traceback=f"SMTPRecipientsRefused: {email}" if status == "FAILED" else "",
        )  # fmt: skip
    header = "employee_number,first_name,last_name,email,hire_date\n"
    preview = ImportJob.objects.create(
        owner=zen.manager.user, content=header + f"ZQ-4471,Zenobia,Quillfeather,{email},2020-01-06\n" + OLA_LINE
    )
    ImportJob.objects.create(
        owner=zen.manager.user, state=ImportJob.State.FAILED, content=header + OLA_LINE,
        problems=[f"Line 2: email {email} belongs to employee ZQ-4471 already."],
    )  # fmt: skip
    return SimpleNamespace(running=running, preview=preview)


def test_erasure_leaves_her_nowhere_in_the_database(cast):
    zen, tour = build_a_working_life(cast)
    background = queue_background_work_naming_her(zen)
    # Company sign-in: a failure typed in another letter case, her identity provider's claims, a second factor.
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, email="Zenobia.Q@test.example", method="password")
    claims = {"email": zen.user.email, "name": "Zenobia Quillfeather"}
    SocialAccount.objects.create(user=zen.user, provider="sso", uid="zen-sub", extra_data=claims)
    TOTP.activate(zen.user, "JBSWY3DPEHPK3PXP")
    other_device = Client()
    other_device.force_login(zen.user)
    # Mistyped passwords, after her last sign-in (a sign-in clears them): the throttle keeps her address.
    for _ in range(2):
        Client().post(reverse("login"), {"username": "zenobia.q@test.example", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="zenobia.q@test.example").exists()
    # The test is only worth something if each needle was there to be found before.
    present = {n for n in [*IDENTITY, *TEXTS.values()] if found([n])}
    assert present == {*IDENTITY, *TEXTS.values()}, {*IDENTITY, *TEXTS.values()} - present

    me = Client()
    me.force_login(zen.user)
    assert "Your account is deleted" in me.post(reverse("alumni:me_delete"), {"confirm": "DELETE"}).text

    assert found(IDENTITY) == []
    assert not Authenticator.objects.filter(user=zen.user).exists()
    assert not SignInEvent.objects.filter(user=zen.user).exists()
    # Her emails went, queued or in a running batch; a colleague's stays. Her line left the kept import files.
    assert OutgoingEmail.objects.filter(body="Dear Ola").count() == 1 and not OutgoingEmail.objects.filter(
        body__contains="Zenobia"
    )
    background.preview.refresh_from_db()
    assert background.preview.content == "employee_number,first_name,last_name,email,hire_date\n" + OLA_LINE
    assert DBTaskResult.objects.filter(pk=background.running.pk, status="RUNNING").exists()  # its worker closes it
    leftovers = [(t, c, v) for t, c, v in found(TEXTS.values()) if (t, c) not in KEPT]
    assert leftovers == []
    assert not Session.objects.filter(pk=other_device.session.session_key).exists()
    assert other_device.get(reverse("dashboard")).status_code == 302  # signed out everywhere
    # What reports count stays: the tour, its outcome and promises kept, the check-ins, the spend.
    tour.refresh_from_db()
    assert (tour.state, tour.outcome, tour.employee_kept) == (Tour.State.ENDED_EARLY, "ended_early", "partly")
    assert CheckIn.objects.filter(tour=tour).count() == 2
    assert FundSpend.objects.get(employee=zen).amount == Decimal("42.00")


def test_her_managers_pages_and_hrs_audit_still_work_after_erasure(cast, client_for):
    zen, tour = build_a_working_life(cast)
    me = Client()
    me.force_login(zen.user)
    me.post(reverse("alumni:me_delete"), {"confirm": "DELETE"})
    label = f"Former employee #{zen.pk}"
    manager = client_for("manager")
    for url in (
        reverse("tours:detail", args=[tour.pk]),
        reverse("tours:index"),
        reverse("people:detail", args=[zen.pk]),
        reverse("notifications"),
        reverse("dashboard"),
    ):
        response = manager.get(url)
        assert response.status_code == 200, url
        assert "Zenobia" not in response.text and "Quillfeather" not in response.text, url
    assert label in manager.get(reverse("tours:detail", args=[tour.pk])).text
    hr = client_for("hr")
    hr_pages = (reverse("audit:list"), reverse("tours:detail", args=[tour.pk]), reverse("people:detail", args=[zen.pk]))
    for url in hr_pages:
        response = hr.get(url)
        assert response.status_code == 200, url
        assert "Zenobia" not in response.text and TEXTS["mission"] not in response.text, url
    assert "erased at the person" in hr.get(reverse("audit:list")).text


def test_a_departure_ends_the_tour_with_a_reason_that_does_not_name_the_leaver(cast, client_for):
    tour = make_tour(cast.report_report, state="agreed", start=TODAY - datetime.timedelta(days=100))
    response = client_for("hr").post(
        reverse("alumni:leave", args=[cast.report_report.pk]),
        {"departure_date": TODAY.isoformat(), "reason": "resigned", "company_kept": "yes", "employee_kept": "yes"},
    )
    assert response.status_code == 302
    tour.refresh_from_db()
    # The tour already belongs to her; a name in the text would outlive an erasure in copies.
    assert tour.end_reason == "Left: resigned mid-tour."
