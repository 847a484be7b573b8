"""Alumni writes: offboarding, invitations, rehiring. Each runs in one transaction."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import access
from alliance.mail import email_later
from alliance.models import Employee
from alliance.notifications import notify_hr
from alumni.models import INVITATION_DAYS, AlumniProfile, Departure, Invitation, Rehire, hash_token
from tours import services as tour_services
from tours.models import Tour


class AlumniError(Exception):
    """A request the rules refuse; the message is for the person who made it."""


def current_tours(employee, on):
    """Agreed tours still running on `on` or starting later: a departure ends them."""
    return Tour.objects.filter(employee=employee, state=Tour.State.AGREED).filter(
        end_date__isnull=True
    ) | Tour.objects.filter(employee=employee, state=Tour.State.AGREED, end_date__gte=on)


@transaction.atomic
def offboard(
    *,
    employee,
    by,
    departure_date,
    reason,
    exit_notes,
    company_kept,
    employee_kept,
    invite,
    rehire_eligible=None,
    rehire_reason="",
):
    """Record the departure, end the current tour with its promises-kept answers, open the profile."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.departure_date and employee.departure_date <= timezone.localdate():
        raise AlumniError(f"{employee.full_name} has already left.")
    if departure_date < employee.hire_date:
        raise AlumniError("The departure date cannot be before the hire date.")
    departure = Departure.objects.create(
        employee=employee,
        departure_date=departure_date,
        reason=reason,
        exit_notes=exit_notes,
        rehire_eligible=rehire_eligible,
        rehire_reason=rehire_reason,
        recorded_by=by,
    )
    for tour in current_tours(employee, departure_date):
        as_planned = reason == Departure.Reason.END_OF_TOUR and tour.end_date and tour.end_date <= departure_date
        tour_services.tour_end(
            tour=tour,
            ended_on=max(departure_date, tour.start_date),
            outcome=Tour.Outcome.PLANNED_DEPARTURE if as_planned else Tour.Outcome.ENDED_EARLY,
            # Without the name: the tour is already theirs, and a name here outlives an erasure in copies.
            end_reason="" if as_planned else f"Left: {Departure.Reason(reason).label.lower()}.",
            company_kept=company_kept,
            employee_kept=employee_kept,
        )
    employee.departure_date = departure_date
    employee.save(update_fields=["departure_date"])
    AlumniProfile.objects.get_or_create(employee=employee)
    if invite:
        send_invitation(employee=employee, by=by)
    if not access.is_hr(by):  # HR follows up what a manager records: rehire eligibility, the exit, the reports
        recorder = getattr(access.person(by), "full_name", by.email)
        notify_hr(
            message=f"{recorder} recorded {employee.full_name}'s departure on {departure_date:%d %b %Y}.",
            url=employee.get_absolute_url(),
            email_subject=f"Departure recorded: {employee.full_name}",
            actor=by,
        )
    return departure


@transaction.atomic
def referral_create(*, form, referrer):
    """Save an alumna's referral and tell HR, who contact the candidate."""
    form.instance.referrer = referrer
    referral = form.save()
    notify_hr(
        message=f"New referral from {referrer.full_name}: {referral.candidate_name}.",
        url=reverse("alumni:referrals"),
        email_subject="A new alumni referral",
    )
    return referral


def send_invitation(*, employee, by):
    """A new single-use link (earlier open ones are revoked); the email leaves after commit."""
    now = timezone.now()
    Invitation.objects.filter(employee=employee, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        employee=employee,
        token_hash=hash_token(token),
        sent_by=by,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    link = settings.SITE_URL.rstrip("/") + reverse("alumni:accept", args=[token])
    body = (
        f"Dear {employee.first_name},\n\nThank you for your tours of duty with us. We would like you to stay in "
        f"touch through our alumni network. Set your password and keep your profile current here:\n\n{link}\n\n"
        f"The link works once and expires in {INVITATION_DAYS} days.\n\n— Alliance"
    )
    email_later(subject="Join our alumni network", body=body, to=[employee.user.email])
    return invitation


def find_invitation(token):
    """The invitation for this token and its state ('open', 'used', 'revoked', 'expired'), or (None, 'invalid')."""
    invitation = Invitation.objects.select_related("employee__user").filter(token_hash=hash_token(token)).first()
    return (invitation, invitation.state) if invitation else (None, "invalid")


@transaction.atomic
def accept(*, invitation, form):
    """Set the password and join. Locks the invitation so a link is used once, even twice at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "open":
        raise AlumniError("This invitation can no longer be used.")
    user = form.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    for profile in AlumniProfile.objects.filter(employee=invitation.employee):
        profile.joined_at = invitation.used_at
        profile._history_user = user  # the audit trail names who joined (the request is anonymous)
        profile.save(update_fields=["joined_at"])
    return user


@transaction.atomic
def rehire(*, profile, by, rehired_on, manager, job_title, reason=""):
    """The same person, employed again: a new manager and a new draft tour; history stays."""
    employee = Employee.objects.select_for_update().get(pk=profile.employee_id)
    if employee.departure_date is None or employee.departure_date > timezone.localdate():
        raise AlumniError(f"{employee.full_name} is still employed.")
    if rehired_on <= employee.departure_date:
        raise AlumniError(f"The new start must be after the departure ({employee.departure_date:%d %b %Y}).")
    departure = employee.departures.first()
    ineligible = departure is not None and departure.rehire_eligible is False
    if ineligible and not reason.strip():
        raise AlumniError("HR marked this person as not eligible for rehire: confirm with a reason.")
    Rehire.objects.create(
        employee=employee,
        rehired_on=rehired_on,
        departure=departure,
        by=by,
        confirmed_ineligible=ineligible,
        reason=reason,
    )
    employee.departure_date, employee.manager = None, manager
    employee.job_title = job_title or employee.job_title
    employee.save()
    end = tour_services.rules.add_months(rehired_on, 24) - datetime.timedelta(days=1)
    terms = {
        "title": f"Welcome back, {employee.first_name}",
        "mission": "To be agreed with your manager.",
        "company_gets": "To be agreed.",
        "employee_gets": "To be agreed.",
        "start_date": rehired_on,
        "end_date": end,
        "checkin_months": 3,
    }
    return tour_services.tour_create(
        employee=employee,
        tour_type=Tour.Type.TRANSFORMATIONAL,
        programme=None,
        terms=terms,
        objectives=[],
        values=[],
        author=by,
    )
