"""The alumnus's rights: a copy of everything held about them, and erasure.

Export leaves out HR's rehire eligibility and its reason: the issue keeps them from the alumnus.
Erasure anonymises the person (names, emails, free text they own) and keeps what reports count
(tours, check-ins, departures) without identity, and deletes the audit trail's copies of their data."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from alliance.models import Employee, Notification
from alumni.models import AlumniProfile, Departure, Invitation, Referral
from audit.purge import purge_person
from networks.models import Contribution, FundSpend
from tours.models import CheckIn, Comment, Tour


def _dates(obj, *fields):
    return {f: (getattr(obj, f).isoformat() if getattr(obj, f) else None) for f in fields}


def export(employee):
    user = employee.user
    profile = AlumniProfile.objects.filter(employee=employee).first()
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
        "notifications": [
            {"message": n.message, **_dates(n, "created_at")} for n in Notification.objects.filter(user=user)
        ],
    }


@transaction.atomic
def erase(employee):
    """Anonymise the person for good. Tours and check-ins stay, counted in reports, without identity."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    user = employee.user
    label = f"Former employee #{employee.pk}"
    Employee.objects.filter(pk=employee.pk).update(
        first_name="Former employee",
        last_name=f"#{employee.pk}",
        employee_number=f"erased-{employee.pk}",
        job_title="",
        core_values="",
        aspirations="",
        post_company_goal="",
    )
    user.email, user.first_name, user.last_name, user.is_active = f"erased-{user.pk}@invalid", "", "", False
    user.set_unusable_password()  # a new password hash also ends every open session of theirs
    user.save()
    AlumniProfile.objects.filter(employee=employee).delete()
    Invitation.objects.filter(employee=employee).delete()
    Notification.objects.filter(user=user).delete()
    Departure.objects.filter(employee=employee).update(exit_notes="", rehire_reason="")
    Referral.objects.filter(referrer=employee).update(referrer=None)
    Contribution.objects.filter(contributor=employee).update(source="")
    FundSpend.objects.filter(employee=employee).update(note="")
    CheckIn.objects.filter(author=user).update(note="")
    Comment.objects.filter(author=user).update(body="(removed at the author's request)")
    for model, pk in ((Employee, employee.pk), (type(user), user.pk)):
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(pk)).update(
            object_repr=label, change_message=""
        )
    purge_person(employee)  # the audit trail's copies of their data go too
