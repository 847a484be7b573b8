"""Issue 21, item 5: small things the pages said that were not true."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.money import format_money
from networks.models import FundPolicy, FundSpend
from tests.tours.test_workflow import terms_post

pytestmark = pytest.mark.django_db


def test_revision_one_keeps_the_note_its_author_wrote(cast, client_for):
    start = timezone.localdate() + timezone.timedelta(days=1)
    end = start.replace(year=start.year + 3) - timezone.timedelta(days=1)
    data = {"employee": cast.report.pk, "type": "transformational", "programme": ""}
    data.update(terms_post(start, end, change_note="Agreed in our first one-to-one."))
    response = client_for("manager").post(reverse("tours:create"), data)
    assert response.status_code == 302
    tour = cast.report.tours.get()
    assert tour.current_revision.number == 1 and tour.current_revision.change_note == "Agreed in our first one-to-one."


def test_the_add_person_page_explains_the_sign_in_link(client_for):
    page = client_for("hr").get(reverse("people:create")).text
    assert "emails the person a sign-in link" in page and "Forgot your password" not in page


def test_people_search_matches_name_email_and_employee_number(cast, client_for):
    client = client_for("hr")
    for query in (cast.other.employee_number, "Tamm", "other@test"):
        people = list(client.get(reverse("people:list"), {"q": query}).context["page"].object_list)
        assert people == [cast.other], query


def test_the_alumni_directory_searches_by_name_and_lists_each_alumnus_once(cast, client_for):
    profile = cast.alumnus.alumni_profile
    profile.listed = True
    profile.save()
    for role in ("other", "alumnus"):  # the alumna sees herself once too
        listed = client_for(role).get(reverse("alumni:directory"), {"q": "udo"}).context["page"].object_list
        assert list(listed) == [profile], role
    assert not client_for("other").get(reverse("alumni:directory"), {"q": "nobody"}).context["page"].object_list


def test_money_has_one_format_with_the_companys_currency(cast, client_for):
    assert format_money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    FundPolicy.objects.update_or_create(pk=1, defaults={"yearly_budget": Decimal("2500.00"), "currency": "GBP"})
    FundSpend.objects.create(
        employee=cast.report, spent_on=timezone.localdate(), amount=Decimal("1200"), currency="GBP", what="lunch"
    )
    client = client_for("report")
    fund = client.get(reverse("networks:fund")).text
    assert "1,200.00 GBP of 2,500.00 GBP spent" in fund and "1,300.00 GBP left" in fund
    assert "1,300.00 GBP" in client.get(reverse("dashboard")).text
    assert "1,200.00 GBP" in client_for("manager").get(reverse("networks:team_fund")).text
