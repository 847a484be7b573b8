"""Erasure reaches the history tables too: they hold earlier copies of the person's data."""

from alliance.models import Employee, User
from alumni.models import AlumniProfile, Departure, Referral
from networks.models import Contribution

ERASED = "erased at the person's request"


def purge_person(employee):
    """Delete every history row holding this person's own data (their record, sign-in, alumni
    profile, departures, insights) and drop them from their referrals' history. Then write one row
    of the anonymised record, so the trail shows when the erasure happened and at whose request."""
    Employee.history.filter(id=employee.pk).delete()
    User.history.filter(id=employee.user_id).delete()
    AlumniProfile.history.filter(employee_id=employee.pk).delete()
    Departure.history.filter(employee_id=employee.pk).delete()
    Contribution.history.filter(contributor_id=employee.pk).delete()
    Referral.history.filter(referrer_id=employee.pk).update(referrer=None)
    anonymised = Employee.objects.get(pk=employee.pk)
    anonymised._change_reason = ERASED
    anonymised.save()
