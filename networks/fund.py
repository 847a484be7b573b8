"""The network fund: budgets, balances and spending. Decimal amounts throughout."""

from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from alliance.models import Employee
from alliance.money import format_money
from networks.models import FundBudget, FundPolicy, FundSpend


class Overspend(Exception):
    pass


def budget_for(employee, year, policy=None):
    override = FundBudget.objects.filter(employee=employee, year=year).values_list("amount", flat=True).first()
    return override if override is not None else (policy or FundPolicy.load()).yearly_budget


def spent(employee, year):
    total = FundSpend.objects.filter(employee=employee, spent_on__year=year).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def balance(employee, year, policy=None):
    """What is left of this year's budget: the override (else the policy's default) less the spending,
    read in one query."""
    policy = policy or FundPolicy.load()
    override = FundBudget.objects.filter(employee=OuterRef("pk"), year=year).values("amount")[:1]
    spending = (
        FundSpend.objects.filter(employee=OuterRef("pk"), spent_on__year=year)
        .values("employee")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    left = (
        Employee.objects.filter(pk=employee.pk)
        .annotate(
            left=Coalesce(Subquery(override, output_field=money), Value(policy.yearly_budget, output_field=money))
            - Coalesce(Subquery(spending, output_field=money), Value(Decimal("0.00"), output_field=money))
        )
        .values_list("left", flat=True)
        .first()
    )
    return Decimal(left).quantize(Decimal("0.01"))


@transaction.atomic
def log_spend(*, employee, spent_on, amount, what, note, contributions):
    """Record spending, refused if it would take the year's total over the budget. The employee row is
    locked so two spends at once cannot both fit into the same remaining balance."""
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    policy = FundPolicy.load()
    remaining = balance(employee, spent_on.year, policy)
    if amount > remaining:
        raise Overspend(
            f"This would overspend your {spent_on.year} network fund: "
            f"{format_money(remaining, policy.currency)} is left. "
            "Ask HR to raise your budget if it is worth it."
        )
    spend = FundSpend.objects.create(
        employee=employee, spent_on=spent_on, amount=amount, currency=policy.currency, what=what, note=note
    )
    spend.contributions.set(contributions)
    return spend
