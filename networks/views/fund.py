"""The network fund: my balance and spending, my team's spend, HR's overview and budgets."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone

from alliance import access as people_access
from networks import fund
from networks.access import fund_people_visible_to
from networks.forms import BudgetOverrideForm, PolicyForm, SpendForm
from networks.models import Contribution, FundBudget, FundPolicy, FundSpend

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


@people_access.require("employee", message="The network fund is for employees.")
def my_fund(request):
    me = request.roles.employee
    year = timezone.localdate().year
    budget, spent = fund.budget_for(me, year), fund.spent(me, year)
    spends = FundSpend.objects.filter(employee=me).prefetch_related("contributions")
    page = Paginator(spends, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/fund.html",
        {
            "year": year,
            "budget": budget,
            "spent": spent,
            "left": budget - spent,
            "page": page,
            "policy": FundPolicy.load(),
        },
    )


@people_access.require("employee", message="The network fund is for employees.")
def spend_create(request):
    me = request.roles.employee
    form = SpendForm(request.POST or None, employee=me)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund.log_spend(
                employee=me,
                spent_on=data["spent_on"],
                amount=data["amount"],
                what=data["what"],
                note=data["note"],
                contributions=data["contributions"],
            )
        except fund.Overspend as error:
            form.add_error("amount", str(error))
        else:
            messages.success(request, "Spending logged.")
            return redirect("networks:fund")
    return render(request, "networks/spend_form.html", {"form": form})


def _people_with_spend(people, year):
    policy = FundPolicy.load()
    override = FundBudget.objects.filter(employee=OuterRef("pk"), year=year).values("amount")[:1]
    return (
        people.select_related("team")
        .annotate(
            spent=Coalesce(Sum("fund_spends__amount", filter=Q(fund_spends__spent_on__year=year)), ZERO),
            budget=Coalesce(Subquery(override), Value(policy.yearly_budget)),
        )
        .order_by("-spent", "last_name", "pk")
    )


@people_access.require("hr", "manager", message="Managers and HR see their people's network fund.")
def team_fund(request):
    """Managers: their whole subtree's spend this year. HR: everyone's, and spend per acted-on insight."""
    roles = request.roles
    year = timezone.localdate().year
    people = fund_people_visible_to(request.user).active()
    if not roles.hr:
        people = people.exclude(pk=roles.employee.pk)
    page = Paginator(_people_with_spend(people, year), 25).get_page(request.GET.get("page"))
    context = {"year": year, "page": page, "policy": FundPolicy.load()}
    if roles.hr:
        acted = Contribution.objects.filter(acted_on=True)
        acted_count = acted.count()
        # Start from the spending links (few), not from every acted-on insight (many).
        with_spend = acted.filter(spends__isnull=False).annotate(spend=Sum("spends__amount"))
        spent_on_acted = FundSpend.objects.filter(contributions__acted_on=True).distinct()
        total = spent_on_acted.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        context.update(
            acted_top=with_spend.select_related("contributor").order_by("-spend", "-pk")[:10],
            acted_count=acted_count,
            acted_total=total,
            per_acted=(total / acted_count).quantize(Decimal("0.01")) if acted_count else None,
        )
    return render(request, "networks/team_fund.html", context)


@people_access.require("hr")
def budgets(request):
    policy = FundPolicy.load()
    policy_form = PolicyForm(request.POST if "policy" in request.POST else None, instance=policy, prefix="policy")
    override_form = BudgetOverrideForm(request.POST if "override" in request.POST else None, prefix="override")
    if policy_form.is_bound and policy_form.is_valid():
        policy_form.save()
        messages.success(request, "The company default is saved.")
        return redirect("networks:budgets")
    if override_form.is_bound and override_form.is_valid():
        data = override_form.cleaned_data
        FundBudget.objects.update_or_create(
            employee=data["employee"], year=data["year"], defaults={"amount": data["amount"], "set_by": request.user}
        )
        messages.success(request, f"{data['employee'].full_name}'s {data['year']} budget is {data['amount']}.")
        return redirect("networks:budgets")
    overrides = FundBudget.objects.select_related("employee").order_by("-year", "employee__last_name")
    page = Paginator(overrides, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/budgets.html",
        {
            "policy_form": policy_form,
            "override_form": override_form,
            "page": page,
            "currency": policy.currency,
        },
    )
