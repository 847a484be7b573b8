"""Alumni writes: invitations, rehiring, referrals, and the access a departure removes. Each runs in one
transaction. Departures themselves (recorded, brought forward, taking effect, undone) are in alumni.departures,
which builds on this module; this one never imports it."""

import datetime
import secrets

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.events import emit
from alliance.mail import email_later
from alliance.models import Employee
from alliance.notifications import notify, notify_hr
from alliance.services import one_time_link_use, sign_in_links_revoke
from alumni.models import INVITATION_DAYS, AlumniProfile, Invitation, Rehire, hash_token
from tours import services as tour_services
from tours.models import Tour


class AlumniError(Exception):
    """A request the rules refuse; the message is for the person who made it."""


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


def _end_sessions(user):
    """Delete every open session of this user. Database sessions hold the user id only inside the
    encoded data, so this decodes each open session: one pass, run only for the day's leavers."""
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=1000)
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=stale).delete()


def access_remove(departure):
    """The departure takes effect (alumni.departures; a rehire, if the daily step has not run): no staff status,
    superuser, groups (HR) or permissions, every open session ends and open sign-in links are revoked. The access
    checks already refuse a departed person; this removes what would otherwise come back if the departure were
    later undone or the person rehired."""
    user = departure.employee.user
    user.is_staff = user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.clear()
    user.user_permissions.clear()
    _end_sessions(user)
    sign_in_links_revoke(employee=departure.employee)
    departure.access_removed_at = timezone.now()
    departure.save(update_fields=["access_removed_at"])


def rehires_apply(*, today=None):
    """The daily step for rehires recorded in advance: from the start date the person is employed
    (employed_on already says so); this clears the old departure date, gives them the new title and
    manager recorded with the rehire (until that day the person page says "Rejoins on <date> as <title>")
    and drafts their "Welcome back" tour with that manager, in one transaction: the tour never exists while
    the old manager is still theirs (its manager side is always employee.manager). Idempotent."""
    today = today or timezone.localdate()
    applied = 0
    for pk in Employee.objects.filter(returns_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and read again: a run started twice at once applies each rehire once.
            employee = Employee.objects.select_for_update().filter(pk=pk, returns_on__lte=today).first()
            if employee is None:
                continue
            rehired_on = employee.returns_on
            employee.job_title = employee.returns_as or employee.job_title
            employee.manager = employee.returns_to or employee.manager
            employee.departure_date = employee.returns_on = employee.returns_to = None
            employee.returns_as = ""
            # A save: the audit trail records the change of title and manager on the day.
            employee.save(
                update_fields=[
                    "departure_date",
                    "returns_on",
                    "returns_as",
                    "returns_to",
                    "job_title",
                    "manager",
                    "updated_at",
                ]
            )
            record = employee.rehires.filter(rehired_on=rehired_on).order_by("-created_at", "-id").first()
            _welcome_back_tour(employee, rehired_on=rehired_on, by=record.by if record else None)
            applied += 1
    return applied


def _welcome_back_tour(employee, *, rehired_on, by):
    """The boomerang's draft first tour, with the manager they return to (already employee.manager)."""
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
        author=by or (employee.manager.user if employee.manager else employee.user),
    )


@transaction.atomic
def send_invitation(*, employee, by, on=None):
    """A new single-use link (earlier open ones are revoked); the email leaves after commit. Only for a person
    who has left by `on` (default today): a current employee (a departure still ahead, or undone) is not invited
    to the alumni."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee.pk)
    if employee.departure_date and not employee.has_left(on):
        raise AlumniError(
            f"{employee.full_name} works here until {employee.departure_date:%d %b %Y}: an alumni invitation is "
            "for people who have left, and is sent on the departure date."
        )
    if employee.returns_on:
        raise AlumniError(
            f"{employee.full_name} is rehired, starting on {employee.returns_on:%d %b %Y}: an alumni invitation is "
            "for people who have left."
        )
    if not employee.has_left(on):
        raise AlumniError(f"{employee.full_name} works here: an alumni invitation is for people who have left.")
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


def invitation_revoke(*, invitation):
    """HR withdraws an invitation: its link stops working. One conditional UPDATE, so an invitation accepted
    a moment earlier stays accepted (a used one is never marked revoked)."""
    return Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def invitation_accept(*, link, password_hash):
    """Set the password and join (alliance.services.one_time_link_use: locked, used once). A sign-in link
    still open from the hire stops working: it would set the alumna's password again."""
    user, invitation = one_time_link_use(link=link, password_hash=password_hash)
    sign_in_links_revoke(employee=invitation.employee)
    for profile in AlumniProfile.objects.filter(employee=invitation.employee):
        profile.joined_at = invitation.used_at
        profile._history_user = user  # the audit trail names who joined (the request is anonymous)
        profile.save(update_fields=["joined_at"])
        emit("alumnus.joined", profile, {"employee_id": invitation.employee_id})
    return user


@transaction.atomic
def invitation_schedule(*, employee):
    """HR asks for the alumni invitation of someone whose departure is still ahead: it is sent on that date
    (alumni.departures.departures_apply). Returns the departure date."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    departure = employee.departures.filter(is_current=True, access_removed_at__isnull=True).first()
    if departure is None or employee.has_left():
        raise AlumniError(f"{employee.full_name} has no departure ahead to send an invitation with.")
    departure.invite = True
    departure.save(update_fields=["invite"])
    return departure.departure_date


@transaction.atomic
def rehire(*, profile, by, rehired_on, manager, job_title, reason=""):
    """The same person, employed again: a new manager and a new draft tour; history stays; open alumni
    invitations are revoked. A start in the future takes effect on that day (returns_on), and the draft tour is
    made then, with the new manager (rehires_apply); the person is told either way. Returns the tour, or None
    when it is made on the start date."""
    employee = Employee.objects.select_for_update().select_related("user").get(pk=profile.employee_id)
    today = timezone.localdate()
    if employee.departure_date is None or employee.departure_date > today:
        raise AlumniError(f"{employee.full_name} is still employed.")
    if employee.returns_on:
        raise AlumniError(f"{employee.full_name} is already rehired, starting on {employee.returns_on:%d %b %Y}.")
    if rehired_on <= employee.departure_date:
        raise AlumniError(f"The new start must be after the departure ({employee.departure_date:%d %b %Y}).")
    departure = employee.departures.filter(is_current=True).first() or employee.departures.first()
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
    Invitation.objects.filter(employee=employee, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if departure is not None and departure.is_current:
        if departure.access_removed_at is None:
            access_remove(departure)  # the daily step has not run since they left: it would strip them later
        departure.is_current = False
        departure.save(update_fields=["is_current"])
    new_title = job_title or employee.job_title
    if rehired_on <= today:
        employee.departure_date = None
        employee.manager, employee.job_title = manager, new_title
    else:
        # Title, manager, access and the first tour come on the day (rehires_apply; access is read from returns_on).
        employee.returns_on, employee.returns_as, employee.returns_to = rehired_on, new_title, manager
    employee.save()
    tour = _welcome_back_tour(employee, rehired_on=rehired_on, by=by) if rehired_on <= today else None
    drafted = "Your first tour is drafted." if tour else "Your first tour is drafted that day."
    notify(
        user=employee.user,
        url=reverse("dashboard"),
        message=(
            f"Welcome back, {employee.first_name}: you start again on {rehired_on:%d %b %Y}, as "
            f"{new_title or 'a member of the team'} with {manager.full_name}. "
            f"Your access returns that day. {drafted}"
        ),
        email_subject="Welcome back",
        now=True,  # they cannot sign in until that day: a digest or the notification centre would not reach them
    )
    return tour
