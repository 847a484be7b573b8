"""SCIM writes, through the people services and their rules (never a second rule set):

- a new person is HR's "new person" form (alliance.forms.EmployeeForm) saved by alliance.services.person_add, which
  emails the sign-in (activation) link, unless the company signs in through its identity provider (SSO);
- a change of name, email, number, title, department or manager is the same form on the existing person, so its
  checks hold (an email or number already taken, HR as someone's manager, a loop in the reporting line) and
  Employee.save() moves the reporting line;
- `active: false` (and DELETE) is the departure HR records on the leaving page (alumni.departures.offboard: dated
  today, its rules, its audit; the current tour ends, access goes; HR is told, to follow it up); for someone whose
  departure HR already recorded for a later date it is that departure brought forward to today
  (alumni.departures.departure_bring_forward: HR's reason, notes and invitation kept; HR is told); for a future
  hire (a starter, preboarding) it is the hire withdrawn (alumni.departures.hire_withdraw: employed no day, sign-in
  closed, not an alumnus); `active: true` for someone who has left is refused: a return is a rehire, which HR
  records (alumni.services.rehire) with a start date, a manager and a tour;
- a person whose data was erased (portal.privacy.erase) is no SCIM resource any more: 404, and nothing written.

Each request is one transaction that locks the person's row, so a request replayed at the same moment waits and
then finds nothing left to do. A request that changes nothing writes nothing (no history row)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import tree
from alliance.forms import EmployeeForm, person_label
from alliance.models import Employee, Team
from alliance.notifications import notify_hr
from alliance.services import person_add
from alumni.departures import departure_bring_forward, hire_withdraw, offboard
from alumni.models import AlumniProfile, Departure
from alumni.services import AlumniError
from scim.protocol import ScimError
from scim.resources import EDITABLE, comparable, fields_of
from tours.services import TourError

EXIT_NOTE = "Deactivated in the identity provider (SCIM)."
GONE = "No such resource."  # an erased person, as an id nobody has (scim.views answers Http404 with it)
NEW = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "employee_number": None,
    "job_title": "",
    "department": None,
    "manager": None,
    "external_id": None,
    "active": True,
}
# The form's field names as SCIM calls them, for error messages.
ATTRIBUTES = {
    "first_name": "name.givenName",
    "last_name": "name.familyName",
    "email": "userName",
    "employee_number": "employeeNumber",
    "job_title": "title",
    "team": "department",
    "manager_ref": "manager",
    "hire_date": "hire date",
}


def sso_configured():
    """Whether people sign in through the company's identity provider (the SSO settings of the sign-in work,
    read defensively: SSO_ENABLED when that work is installed, else a configured SSO_OIDC_URL)."""
    enabled = getattr(settings, "SSO_ENABLED", None)
    return bool(getattr(settings, "SSO_OIDC_URL", "")) if enabled is None else bool(enabled)


def _manager(ref, by):
    """The manager a request names: our SCIM id first, else the identity provider's externalId."""
    if ref is None:
        return None
    people = Employee.objects.visible_to(by).not_erased()
    found = people.filter(pk=int(ref)).first() if ref.isascii() and ref.isdigit() and len(ref) < 19 else None
    found = found or people.filter(external_id=ref).first()
    if found is None:
        raise ScimError(400, f"No person has the SCIM id or externalId “{ref}” to be the manager.", "invalidValue")
    return found


def _desired(current, asked, by):
    desired = {**current, **{k: v for k, v in asked.items() if k in current}}
    desired["email"] = asked.get("email") or asked.get("work_email") or current["email"]
    desired["employee_number"] = asked.get("employee_number") or current["employee_number"]
    if "manager_ref" in asked:
        desired["manager"] = _manager(asked["manager_ref"], by)
    return desired


def _generated_number(email):
    """An employee number for a person the identity provider sends without one (HR may change it on the page)."""
    return "scim-" + hashlib.sha256(email.encode()).hexdigest()[:10]


def _refusal(form):
    """The form's first problem as a SCIM error: a taken email or number is `uniqueness` (409)."""
    for field, errors in form.errors.as_data().items():
        for error in errors:
            text = " ".join(error.messages)
            name = ATTRIBUTES.get(field, field)
            if error.code in ("unique", "taken"):
                return ScimError(409, f"{name}: {text}", "uniqueness")
            return ScimError(400, f"{name}: {text}" if field != "__all__" else text, "invalidValue")
    return ScimError(400, "The person could not be saved.", "invalidValue")


def _write(employee, desired, by):
    """Save the person's fields through HR's form: a new person by person_add, an existing one by the form."""
    team = None
    if desired["department"]:
        name = desired["department"]
        team = Team.objects.filter(name__iexact=name).first() or Team.objects.create(name=name)  # as a CSV import
    kept = employee or Employee()
    manager = desired["manager"]
    data = {
        "first_name": desired["first_name"],
        "last_name": desired["last_name"],
        "email": desired["email"],
        "employee_number": desired["employee_number"] or _generated_number(desired["email"]),
        "job_title": desired["job_title"],
        "team": team.pk if team else "",
        "manager_ref": person_label(manager) if manager else "",
        "hire_date": (kept.hire_date or timezone.localdate()).isoformat(),
        "core_values": kept.core_values,
        "aspirations": kept.aspirations,
        "post_company_goal": kept.post_company_goal,
    }
    form = EmployeeForm(data, instance=employee, editor=by)
    if not form.is_valid():
        raise _refusal(form)
    form.instance.external_id = desired["external_id"]
    try:
        if employee is None:
            return person_add(form=form, by=by, send_link=desired["active"] and not sso_configured())
        return form.save()
    except tree.LoopError:
        detail = "manager: that manager reports to this person: that would make a loop."
        raise ScimError(400, detail, "invalidValue") from None


def _withdraw(employee, by):
    """A starter deactivated before their first day: the hire is withdrawn (never employed, never an alumnus)."""
    planned = employee.hire_date
    try:
        hire_withdraw(employee=employee, by=by, exit_notes=EXIT_NOTE)
    except (AlumniError, TourError) as error:
        raise ScimError(400, str(error), "invalidValue") from None
    notify_hr(
        message=(
            f"{employee.full_name} was deactivated in the identity provider before their start on {planned:%d %b %Y}, "
            "so their hire is withdrawn: they cannot sign in and are not on the alumni side."
        ),
        url=employee.get_absolute_url(),
    )


def _bring_forward(employee, by):
    """Someone employed whose departure HR recorded for a later date: it is dated today and takes effect now."""
    planned = employee.departure_date
    try:
        departure = departure_bring_forward(employee=employee, by=by)
    except (AlumniError, TourError) as error:
        raise ScimError(400, str(error), "invalidValue") from None
    invited = " The alumni invitation asked for with it is sent now." if departure.invite else ""
    notify_hr(
        message=(
            f"{employee.full_name} was deactivated in the identity provider before their departure on "
            f"{planned:%d %b %Y}, so their access has ended and the departure is now dated today; its reason "
            f"and exit notes stay as recorded.{invited}"
        ),
        url=employee.get_absolute_url(),
    )


def _depart(employee, by):
    """The departure HR records on the leaving page, dated today; for a starter, the hire withdrawn; for someone
    whose departure is recorded for a later date, that departure brought forward to today."""
    if employee.starts_later():
        return _withdraw(employee, by)
    if employee.departure_date and employee.departure_date > timezone.localdate():
        return _bring_forward(employee, by)
    try:
        offboard(
            employee=employee,
            by=by,
            departure_date=timezone.localdate(),
            reason=Departure.Reason.OTHER,
            exit_notes=EXIT_NOTE,
            company_kept="",
            employee_kept="",
            invite=False,  # HR decides who joins the alumni network, from the alumnus's page
        )
    except (AlumniError, TourError) as error:
        raise ScimError(400, str(error), "invalidValue") from None
    # HR follows up what it did not record itself, as it does a manager's: eligibility, the alumni invitation.
    notify_hr(
        message=(
            f"{employee.full_name} was deactivated in the identity provider, so their departure is recorded for "
            "today. Record their rehire eligibility, and invite them to the alumni network if they should join."
        ),
        url=employee.get_absolute_url(),
    )


def _refuse_return(employee):
    if employee.returns_on:
        detail = f"{employee.full_name} is rehired from {employee.returns_on:%d %b %Y}: active from that day."
    elif employee.departure_date == employee.hire_date and not AlumniProfile.objects.filter(employee=employee).exists():
        # Employed no day and not on the alumni side: a withdrawn hire (alumni.departures.hire_withdraw).
        page = reverse("people:detail", args=[employee.pk])
        detail = (
            f"{employee.full_name}'s hire was withdrawn on {employee.departure_date:%d %b %Y}. HR undoes that on "
            f"their page ({page}) and sets the start date; SCIM does not."
        )
    else:
        page = reverse("people:detail", args=[employee.pk])
        detail = (
            f"{employee.full_name} left on {employee.departure_date:%d %b %Y}. A return is a rehire, which HR records "
            f"on their page ({page}) with a start date and a manager; SCIM does not rehire."
        )
    raise ScimError(400, detail, "invalidValue")


@transaction.atomic
def user_save(*, employee, asked, by):
    """Create (employee None) or change a person as `asked` (scim.resources.assign); returns (employee, changed).
    `by` is the HR account of the SCIM token. The person's row is locked, read afresh and compared: a replay
    changes nothing and writes nothing."""
    if employee is not None:
        employee = Employee.objects.select_for_update(of=("self",)).with_related().get(pk=employee.pk)
        if employee.is_erased:  # erased while this request waited for the lock: nothing of theirs is changed
            raise ScimError(404, GONE)
    current = fields_of(employee) if employee else dict(NEW)
    desired = _desired(current, asked, by)
    now, then = comparable(current), comparable(desired)
    if employee is not None and now == then:
        return employee, False
    if employee is None and not (desired["email"] and desired["first_name"] and desired["last_name"]):
        raise ScimError(400, "A new User needs userName, name.givenName and name.familyName.", "invalidValue")
    if desired["email"] != current["email"]:
        holder = Employee.objects.filter(user__email__iexact=desired["email"]).values_list("pk", flat=True).first()
        if holder is not None:
            raise ScimError(409, f"userName {desired['email']} is taken (the User with id {holder}).", "uniqueness")
    new_id = desired["external_id"]
    if new_id and new_id != current["external_id"] and Employee.objects.filter(external_id=new_id).exists():
        raise ScimError(409, f"externalId “{desired['external_id']}” belongs to another person.", "uniqueness")
    if employee is None or any(now[key] != then[key] for key in (*EDITABLE, "external_id")):
        employee = _write(employee, desired, by)
    if desired["active"] != current["active"]:
        if desired["active"]:
            _refuse_return(employee)
        _depart(employee, by)
    return employee, True
