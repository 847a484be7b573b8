"""The dashboard's network card: my fund balance; for managers and HR, insights waiting for a rating."""

from django.utils import timezone

from alliance import access
from alliance.models import Employee
from networks import fund
from networks.models import Contribution, FundPolicy


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
        context["insights_to_rate"] = waiting.count()
    return context
