"""The dashboard's network card: my fund balance; for managers and HR, insights waiting for a rating."""

from django.utils import timezone

from alliance import access
from alliance.models import Employee
from networks import fund
from networks.models import Contribution, FundPolicy

RATE_CAP = 99


def cards(user):
    me = access.current_employee(user)
    context = {}
    if me is not None:
        year = timezone.localdate().year
        policy = FundPolicy.load()
        context["fund_left"], context["fund_currency"] = fund.balance(me, year, policy), policy.currency
    if access.is_hr(user) or access.is_manager(user):
        waiting = Contribution.objects.visible_to(user).filter(rating__isnull=True)
        if access.person(user) is not None:  # not one's own; by id, so no join to the people table
            waiting = waiting.exclude(contributor=access.person(user))
        if not access.is_hr(user):
            waiting = waiting.filter(contributor__in=Employee.objects.subtree_of(me))
        # Counted up to RATE_CAP + 1 only: at 10,000 people, 60,000 unrated insights took 25-30 ms to count in full,
        # the dashboard's slowest query, for a figure that reads the same as "more than 99".
        count = waiting.values("pk")[: RATE_CAP + 1].count()
        context["insights_to_rate"] = min(count, RATE_CAP)
        context["insights_to_rate_more"] = count > RATE_CAP
    return context
