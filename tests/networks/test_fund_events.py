"""The network fund (decimals, overspending refused) and events (recorded, attended)."""

import datetime
from decimal import Decimal

from django.urls import reverse

from networks import fund
from networks.models import Event, FundBudget, FundPolicy, FundSpend

TODAY = datetime.date.today()


def spend(client, amount, **extra):
    data = {"spent_on": TODAY.isoformat(), "amount": amount, "what": "lunch", "note": "Lunch with a founder"}
    return client.post(reverse("networks:spend"), {**data, **extra})


def test_decimal_amounts_and_balance(cast, client_for):
    FundPolicy.objects.update_or_create(pk=1, defaults={"yearly_budget": Decimal("100.00"), "currency": "EUR"})
    client = client_for("report")
    assert spend(client, "33.33").status_code == 302
    assert spend(client, "33.33").status_code == 302
    assert spend(client, "33.34").status_code == 302  # exactly the budget: 100.00, no float drift
    assert fund.spent(cast.report, TODAY.year) == Decimal("100.00")
    assert "0.00 EUR left" in client.get(reverse("networks:fund")).text
    assert FundSpend.objects.first().amount == Decimal("33.34")


def test_overspending_is_refused_until_hr_raises_the_budget(cast, client_for):
    FundPolicy.objects.update_or_create(pk=1, defaults={"yearly_budget": Decimal("50.00")})
    client = client_for("report")
    spend(client, "40.00")
    response = spend(client, "10.01")
    assert response.status_code == 200 and "would overspend" in response.text and "10.00 EUR is left" in response.text
    assert FundSpend.objects.count() == 1
    hr = client_for("hr")
    hr.post(
        reverse("networks:budgets"),
        {
            "override": "1",
            "override-employee": cast.report.employee_number,
            "override-year": TODAY.year,
            "override-amount": "200",
        },
    )
    assert FundBudget.objects.get(employee=cast.report).amount == Decimal("200.00")
    assert spend(client_for("report"), "10.01").status_code == 302


def test_bad_amounts_and_dates_get_messages(cast, client_for):
    client = client_for("report")
    assert "greater than or equal to 0.01" in spend(client, "0").text
    assert "Enter a number" in spend(client, "ten").text
    assert "no more than 2 decimal places" in spend(client, "1.234").text
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    assert "once it has happened" in spend(client, "5", spent_on=future).text
    assert not FundSpend.objects.exists()


def test_managers_see_their_team_hr_sees_all_and_spend_per_acted_insight(cast, client_for):
    from networks.models import Contribution

    c = Contribution.objects.create(
        contributor=cast.report, kind="customer", title="Lead", insight="x", acted_on=True, rating=5
    )
    fund.log_spend(
        employee=cast.report, spent_on=TODAY, amount=Decimal("80.00"), what="lunch", note="", contributions=[c]
    )
    fund.log_spend(
        employee=cast.other, spent_on=TODAY, amount=Decimal("20.00"), what="event", note="", contributions=[]
    )
    team = client_for("manager").get(reverse("networks:team_fund"))
    assert cast.report.full_name in team.text and cast.other.full_name not in team.text
    hr = client_for("hr").get(reverse("networks:team_fund"))
    assert cast.other.full_name in hr.text
    assert "80.00 EUR per acted-on insight" in hr.text


def test_team_fund_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    from tests.factories import EmployeeFactory

    for _ in range(40):
        person = EmployeeFactory(manager=cast.manager)
        fund.log_spend(employee=person, spent_on=TODAY, amount=Decimal("5"), what="lunch", note="", contributions=[])
    client = client_for("manager")
    with django_assert_num_queries(9):
        response = client.get(reverse("networks:team_fund"))
    assert response.context["page"].paginator.count == 42  # the 40, the report and their report (active only)


def test_events_recorded_by_managers_and_attended_by_employees(cast, client_for):
    manager = client_for("manager")
    response = manager.post(
        reverse("networks:event_create"),
        {
            "title": "Platform meetup",
            "kind": "hosted",
            "date": TODAY.isoformat(),
            "place": "Berlin",
            "description": "",
            "attendees_text": f"{cast.report.employee_number}, {cast.manager.user.email}",
            "outside_guests": "40",
            "learned": "Everyone wants SSO.",
        },
    )
    event = Event.objects.get()
    assert response.url == event.get_absolute_url()
    assert set(event.attendees.all()) == {cast.report, cast.manager}
    other = client_for("other")
    other.post(reverse("networks:event_attend", args=[event.pk]))
    assert event.attendances.get(employee=cast.other).self_reported
    assert "Platform meetup" in other.get(reverse("networks:events")).text
    assert other.get(reverse("networks:event_edit", args=[event.pk])).status_code == 403
    bad = client_for("manager").post(
        reverse("networks:event_edit", args=[event.pk]),
        {
            "title": "x",
            "kind": "hosted",
            "date": TODAY.isoformat(),
            "attendees_text": "nobody@nowhere",
            "outside_guests": "0",
        },
    )
    assert "No one matches “nobody@nowhere”." in bad.text


def test_demo_insights_cover_kinds_and_visibilities_and_are_not_duplicated(db):
    from django.core.management import call_command

    from networks.models import Contribution

    call_command("seed_demo", employees=20, stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = Contribution.objects.count()
    call_command("seed_demo", employees=20, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Contribution.objects.count() == count
    demo = Contribution.objects.filter(contributor__employee_number__startswith="D-")
    assert set(demo.values_list("kind", flat=True)) == set(Contribution.Kind.values)
    assert set(demo.values_list("visibility", flat=True)) == set(Contribution.Visibility.values)
    assert demo.filter(acted_on=True).exists() and demo.filter(rating__isnull=False).exists()
    assert Contribution.objects.filter(contributor__employee_number__startswith="E").count() == 200
    generated = Contribution.objects.filter(contributor__employee_number__startswith="E")
    assert generated.filter(tags__name="fintech").exists() and not generated.filter(tags__isnull=True).exists()
    assert FundSpend.objects.exists() and Event.objects.count() == 3


def test_spending_is_linked_to_my_insights_only(cast, client_for):
    from networks.models import Contribution

    mine = Contribution.objects.create(contributor=cast.report, kind="customer", title="Lead", insight="x")
    theirs = Contribution.objects.create(contributor=cast.other, kind="market", title="Theirs", insight="x")
    client = client_for("report")
    assert "Lead" in client.get(reverse("networks:spend")).text
    assert spend(client, "12.50", contributions=[mine.pk]).status_code == 302
    assert list(FundSpend.objects.get().contributions.all()) == [mine]
    response = spend(client, "5.00", contributions=[theirs.pk])
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert FundSpend.objects.count() == 1


def test_the_currency_cannot_change_once_spending_is_logged(cast, client_for):
    hr = client_for("hr")
    policy = {"policy": "1", "policy-yearly_budget": "800.00"}
    assert hr.post(reverse("networks:budgets"), {**policy, "policy-currency": "usd"}).status_code == 302
    assert FundPolicy.load().currency == "USD"
    fund.log_spend(
        employee=cast.report, spent_on=TODAY, amount=Decimal("9.99"), what="lunch", note="", contributions=[]
    )
    assert FundSpend.objects.get().currency == "USD"
    response = hr.post(reverse("networks:budgets"), {**policy, "policy-currency": "GBP"})
    assert "already been logged in USD" in response.text
    assert FundPolicy.load().currency == "USD"
    assert hr.post(reverse("networks:budgets"), {**policy, "policy-currency": "USD"}).status_code == 302
