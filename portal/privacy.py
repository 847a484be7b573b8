"""The alumnus's rights: a copy of everything held about them, and erasure.

Export leaves out HR's rehire eligibility and its reason: the issue keeps them from the alumnus.
Erasure anonymises the person and leaves their name, addresses and free text nowhere in the
database (issue 12; tests/alumni/test_erasure.py reads every table to prove it). It keeps what
reports count (tours, check-ins, departures, fund spend) as skeletons without words, and the
insights and referrals they gave the company, without the name; the README lists what is kept."""

import json
import re

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import DateField, F, Q, Value
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from alliance.background import OutgoingEmail
from alliance.models import ApiToken, Employee, ImportJob, Notification, User
from alliance.querysets import erased_email
from alumni.models import AlumniProfile, Departure, Invitation, Referral, Rehire
from audit.purge import REMOVED, purge_person
from calendars.models import CalendarFeed
from meetings.models import PrivateNote, TalkingPoint
from networks.models import Contribution, FundSpend
from portal.account_export import account_export
from signin.models import SignInEvent
from tours.models import CheckIn, CheckInProgress, Comment, Objective, Tour, TourRevision


def _dates(obj, *fields):
    return {f: (getattr(obj, f).isoformat() if getattr(obj, f) else None) for f in fields}


def _workspace_export(user):
    """Her talking points and private notes (the 1:1 workspace), read in one UNION query: the export is held to
    the pages' query budget (tests/test_query_budget.py)."""
    columns = ("kind", "tour__title", "text", "day", "covered")
    points = TalkingPoint.objects.filter(author=user).annotate(
        kind=Value("talking_points"), day=F("added_for"), covered=F("covered_for")
    )
    notes = PrivateNote.objects.filter(author=user).annotate(
        kind=Value("private_notes"), day=F("due_on"), covered=Value(None, output_field=DateField())
    )
    found = {"talking_points": [], "private_notes": []}
    rows = points.order_by().values_list(*columns).union(notes.order_by().values_list(*columns), all=True).order_by()
    for kind, tour, text, day, covered in rows:
        row = {"tour": tour, "text": text, "date": day.isoformat()}
        if kind == "talking_points":
            row["covered_at_check_in_of"] = covered.isoformat() if covered else None
        found[kind].append(row)
    return found


def export(employee):
    user = employee.user
    try:  # no query when the caller fetched the employee through their profile (the export view does)
        profile = employee.alumni_profile
    except AlumniProfile.DoesNotExist:
        profile = None
    tours = Tour.objects.filter(employee=employee).prefetch_related("revisions__objectives").order_by("start_date")
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            **_dates(user, "date_joined", "last_login"),
        },
        "employee": {
            "employee_number": employee.employee_number,
            "first_name": employee.first_name,
            "last_name": employee.last_name,
            "job_title": employee.job_title,
            "team": str(employee.team or ""),
            "core_values": employee.core_values,
            "aspirations": employee.aspirations,
            "post_company_goal": employee.post_company_goal,
            **_dates(employee, "hire_date", "departure_date"),
            # The identity provider's id for them, set only by SCIM provisioning (None: not provisioned by it).
            "external_id": employee.external_id,
        },
        "alumni_profile": None
        if profile is None
        else {
            f.name: getattr(profile, f.name)
            if not hasattr(getattr(profile, f.name), "isoformat")
            else getattr(profile, f.name).isoformat()
            for f in AlumniProfile._meta.fields
            if f.name not in ("id", "employee")
        },
        "departures": [
            {"reason": d.get_reason_display(), "exit_notes": d.exit_notes, **_dates(d, "departure_date")}
            for d in Departure.objects.filter(employee=employee)
        ],
        "tours": [
            {
                "title": t.title,
                "type": t.type,
                "state": t.state,
                "outcome": t.outcome,
                "company_kept": t.company_kept,
                "employee_kept": t.employee_kept,
                **_dates(t, "start_date", "end_date"),
                "revisions": [
                    {
                        "number": r.number,
                        "title": r.title,
                        "mission": r.mission,
                        "company_gets": r.company_gets,
                        "employee_gets": r.employee_gets,
                        "company_invests": r.company_invests,
                        **_dates(r, "start_date", "end_date"),
                        "objectives": [
                            {"side": o.side, "description": o.description, "measure": o.measure}
                            for o in r.objectives.all()
                        ],
                    }
                    for r in t.revisions.all()
                ],
            }
            for t in tours
        ],
        "check_ins": [
            {"tour": c.tour.title, "note": c.note, "other_side_keeping": c.other_side_keeping, **_dates(c, "due_on")}
            for c in CheckIn.objects.filter(author=user).select_related("tour")
        ],
        "comments": [
            {"tour": c.tour.title, "body": c.body, **_dates(c, "created_at")}
            for c in Comment.objects.filter(author=user).select_related("tour")
        ],
        **_workspace_export(user),
        "insights": [
            {
                "title": c.title,
                "insight": c.insight,
                "source": c.source,
                "visibility": c.visibility,
                **_dates(c, "created_at"),
            }
            for c in Contribution.objects.filter(contributor=employee)
        ],
        "network_fund": [
            {"amount": str(s.amount), "currency": s.currency, "what": s.what, "note": s.note, **_dates(s, "spent_on")}
            for s in FundSpend.objects.filter(employee=employee)
        ],
        "referrals": [
            {
                "candidate_name": r.candidate_name,
                "contact": r.contact,
                "role": r.role_of_interest,
                "note": r.note,
                "status": r.status,
            }
            for r in Referral.objects.filter(referrer=employee)
        ],
        # API tokens, calendar feed, second factors, identity-provider links, addresses, one-time links, sign-in log,
        # notifications, tour signatures, events attended (portal/account_export.py: one query).
        **account_export(user),
    }


ERASED_TOUR_TITLE = "Tour of duty (terms erased)"


def _identity(employee):
    """Every name and address the person went by, earlier ones from the audit trail included
    (a married name, a changed address): what must not survive anywhere."""
    user = employee.user
    names, emails = {employee.full_name, user.get_full_name()}, {user.email}
    for first, last in Employee.history.filter(id=employee.pk).values_list("first_name", "last_name"):
        names.add(f"{first} {last}")
    for first, last, email in User.history.filter(id=user.pk).values_list("first_name", "last_name", "email"):
        names.add(f"{first} {last}")
        emails.add(email)
    return {n.strip() for n in names if n.strip()}, {e.lower() for e in emails if e}


def _scrubber(words, label):
    """A function replacing each of `words` in a text with `label`: longest first, whole words
    only, any case (so a first name 'Al' leaves 'Also' alone)."""
    ordered = sorted(words, key=len, reverse=True)
    pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in ordered), re.IGNORECASE)
    return lambda text: pattern.sub(label, text) if text else text


def _scrub_rows(queryset, fields, scrub):
    """Rewrites the given text fields of every row through `scrub`, saving only rows that change."""
    changed = []
    for row in queryset:
        before = [getattr(row, f) for f in fields]
        for f in fields:
            setattr(row, f, scrub(getattr(row, f)))
        if [getattr(row, f) for f in fields] != before:
            changed.append(row)
    queryset.model.objects.bulk_update(changed, fields)  # bulk_update: no history rows written


def _mentioning(queryset, field, needles):
    """The rows whose `field` contains any of `needles` (a scan of the table: erasure is rare)."""
    condition = Q()
    for needle in needles:
        condition |= Q(**{f"{field}__icontains": needle})
    return queryset.filter(condition)


def _tours_erase(employee, label):
    """Her tours stay for the reports (type, dates, state, outcome, promises kept, check-in dates),
    but every word in them goes: the terms describe her and she wrote some of them; the notes on
    check-ins and comments, from either side, are about her."""
    tours = Tour.objects.filter(employee=employee)
    revisions = TourRevision.objects.filter(tour__in=tours)
    checkins = CheckIn.objects.filter(tour__in=tours)
    tours.update(title=ERASED_TOUR_TITLE)
    tours.exclude(end_reason="").update(end_reason=REMOVED)
    revisions.update(
        title=ERASED_TOUR_TITLE,
        mission=REMOVED,
        company_gets="",
        employee_gets="",
        company_invests="",
        length_reason="",
        aspirations_served="",  # a copy of her aspirations
        change_note="",
    )
    Objective.objects.filter(revision__in=revisions).update(description=REMOVED, measure="")
    Comment.objects.filter(tour__in=tours).update(body=REMOVED)
    checkins.update(note="")
    CheckInProgress.objects.filter(checkin__in=checkins).update(note="")
    # Others were told about her tours ("… signed “<title>”"): the line stays in their list, the words go.
    urls = [reverse("tours:detail", args=[pk]) for pk in tours.values_list("pk", flat=True)]
    Notification.objects.filter(url__in=urls).update(message=f"An update on a tour of {label} (details erased).")
    return list(tours.values_list("pk", flat=True))


def _sessions_end(user):
    """Deletes her sessions on every device. Sessions are not indexed by user, so this reads each
    stored session once: fine at a company's size, and erasure is rare."""
    for session in Session.objects.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()


@transaction.atomic
def erase(employee):
    """Anonymise the person for good. Tours, check-ins, departures and fund spend stay, counted in
    reports, without identity and without free text about her; what is kept is listed in README
    ("Alumni: privacy"). Her name and addresses are left nowhere: not in others' notifications,
    the audit trail, the admin log or the sign-in throttle."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    user = employee.user
    label = f"Former employee #{employee.pk}"
    names, emails = _identity(employee)
    # In her own rows even a first name alone is her; in others' rows ("… signed “…”") only her
    # full name or address, so a surname like "May" does not eat "14 May 2026".
    parts = {part for name in names for part in name.split() if len(part) > 1}
    scrub_mine, scrub_others = _scrubber(names | emails | parts, label), _scrubber(names | emails, label)
    Employee.objects.filter(pk=employee.pk).update(
        first_name="Former employee",
        last_name=f"#{employee.pk}",
        employee_number=f"erased-{employee.pk}",
        external_id=None,  # the identity provider's id for her (SCIM)
        job_title="",
        returns_as="",  # a rehire's coming title
        core_values="",
        aspirations="",
        post_company_goal="",
    )
    user.email, user.first_name, user.last_name, user.is_active = erased_email(user.pk), "", "", False
    user.set_unusable_password()
    user.save()
    _sessions_end(user)
    AlumniProfile.objects.filter(employee=employee).delete()
    Invitation.objects.filter(employee=employee).delete()
    Notification.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()  # and their use log
    CalendarFeed.objects.filter(user=user).delete()
    Departure.objects.filter(employee=employee).update(exit_notes="", rehire_reason="")
    Rehire.objects.filter(employee=employee).update(reason="")
    tour_ids = _tours_erase(employee, label)
    _scrub_rows(Referral.objects.filter(referrer=employee), ["candidate_name", "note"], scrub_mine)
    Referral.objects.filter(referrer=employee).update(referrer=None)
    Contribution.objects.filter(contributor=employee).update(source="")
    _scrub_rows(Contribution.objects.filter(contributor=employee), ["title", "insight", "outcome"], scrub_mine)
    FundSpend.objects.filter(employee=employee).update(note="")
    my_checkins = CheckIn.objects.filter(author=user)  # as a manager, on her reports' tours
    my_checkins.update(note="")
    CheckInProgress.objects.filter(checkin__in=my_checkins).update(note="")
    Comment.objects.filter(author=user).update(body=REMOVED)
    # The 1:1 workspace: every word on her tours' agendas and anyone's private notes about them go; her own
    # talking points on others' agendas keep their place (covered or not) without their words, like comments.
    TalkingPoint.objects.filter(tour_id__in=tour_ids).delete()
    TalkingPoint.objects.filter(author=user).update(text=REMOVED)
    PrivateNote.objects.filter(Q(tour_id__in=tour_ids) | Q(author=user)).delete()
    # Others' notifications name whoever acted ("<full name> signed …", or the address without a name).
    _scrub_rows(_mentioning(Notification.objects.all(), "message", names | emails), ["message"], scrub_others)
    for model, pks in ((Employee, [employee.pk]), (type(user), [user.pk]), (Tour, tour_ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
        ).update(object_repr=label if model is not Tour else ERASED_TOUR_TITLE, change_message="")
    _scrub_rows(_mentioning(LogEntry.objects.all(), "object_repr", names | emails), ["object_repr"], scrub_others)
    # The sign-in throttle keeps the address typed at each failed attempt.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=emails).delete()
    # Company sign-in: her sign-in log (and failures typed with any of her addresses), her second factors (their
    # secrets), her link to the identity provider (its claims name her) and any address allauth kept for her.
    typed = Q(user=user)
    for email in emails:
        typed |= Q(email__iexact=email)
    SignInEvent.objects.filter(typed).delete()
    SignInEvent.objects.filter(by=user).update(by=None)
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # its tokens go with it
    EmailAddress.objects.filter(user=user).delete()
    # Background work that names her: emails not sent yet (sent ones are emptied), import files and their
    # problems, the worker's task rows (a password reset's address, a failure's traceback).
    needles = [n.lower() for n in names | emails]
    _background_forget(needles, tour_ids=tour_ids)
    purge_person(employee, tour_ids=tour_ids, scrub=scrub_mine)  # the audit trail's copies of her data go too


def _hers(needles):
    """A test of any value (text or JSON) for her name or an address, on its decoded JSON text (repr would escape
    an apostrophe, and JSON stores accents escaped)."""

    def hers(value):
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return any(needle in text.lower() for needle in needles)

    return hers


def _background_forget(needles, *, tour_ids):
    """Her emails go, whether waiting or being sent (a worker sending a batch skips a row that is gone), and
    others' about her tours (they quote the tour's title; they link to it); in an
    import file, the lines naming her, and the problems naming her; a task row naming her is deleted, or, while a
    worker runs it, emptied of arguments and error (the worker closes the row). Scans: erasure is rare and these
    tables are short."""
    hers = _hers(needles)
    links = [re.escape(reverse("tours:detail", args=[pk])) for pk in tour_ids]
    about_her_tours = re.compile(rf"(?:{'|'.join(links)})(?!\d)") if links else None
    for email in OutgoingEmail.objects.filter(sent_at=None).only("pk", "subject", "body", "html", "to").iterator():
        if (
            hers(email.subject)
            or hers(email.body)
            or hers(email.html)
            or hers(email.to)
            or (about_her_tours and about_her_tours.search(email.body))
        ):
            email.delete()
    for job in ImportJob.objects.only("pk", "content", "problems"):
        if hers(job.content) or hers(job.problems):
            lines = job.content.splitlines(keepends=True)
            job.content = "".join(lines[:1] + [line for line in lines[1:] if not hers(line)])
            job.problems = [problem for problem in job.problems if not hers(problem)]
            job.save(update_fields=["content", "problems"])
    fields = ("pk", "status", "args_kwargs", "traceback", "return_value")
    for row in DBTaskResult.objects.only(*fields).iterator():
        if not (hers(row.args_kwargs) or hers(row.traceback) or hers(row.return_value)):
            continue
        if row.status == TaskResultStatus.RUNNING:
            DBTaskResult.objects.filter(pk=row.pk).update(args_kwargs={"args": [], "kwargs": {}}, traceback="")
        else:
            row.delete()
