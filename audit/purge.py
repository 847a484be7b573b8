"""Erasure reaches the history tables too: they hold earlier copies of the person's data."""

from alliance.models import Employee, User
from alumni.models import AlumniProfile, Departure, Referral, Rehire
from networks.models import Contribution
from tours.models import Tour

ERASED = "erased at the person's request"
REMOVED = "(removed at the person's request)"  # in place of free text that is gone


def purge_person(employee, *, tour_ids=(), scrub=lambda text: text):
    """Delete every history row holding this person's own data (their record, sign-in, alumni
    profile, departures, rehires, insights) and drop them from their referrals' history. Her tours'
    history keeps its states and dates (the trail of what happened) but takes the erased wording,
    so no earlier title or end reason survives. Then write one row of the anonymised record, so
    the trail shows when the erasure happened and at whose request."""
    Employee.history.filter(id=employee.pk).delete()
    User.history.filter(id=employee.user_id).delete()
    AlumniProfile.history.filter(employee_id=employee.pk).delete()
    Departure.history.filter(employee_id=employee.pk).delete()
    Rehire.history.filter(employee_id=employee.pk).delete()
    Contribution.history.filter(contributor_id=employee.pk).delete()
    referrals = Referral.history.filter(referrer_id=employee.pk)
    for row in referrals:
        row.candidate_name, row.note = scrub(row.candidate_name), scrub(row.note)
    Referral.history.model.objects.bulk_update(referrals, ["candidate_name", "note"])
    referrals.update(referrer=None)
    tour_history = Tour.history.filter(id__in=tour_ids)
    for pk, title in Tour.objects.filter(pk__in=tour_ids).values_list("pk", "title"):
        tour_history.filter(id=pk).update(title=title)
    tour_history.exclude(end_reason="").update(end_reason=REMOVED)
    anonymised = Employee.objects.get(pk=employee.pk)
    anonymised._change_reason = ERASED
    anonymised.save()
