"""The filters every report shares: a person nobody matches is a form error, and the table says which
filters apply."""

import pytest
from django.urls import reverse

REPORTS = [
    "tours:report_at_risk",
    "tours:report_coverage",
    "tours:report_outcomes",
    "tours:report_checkins",
    "networks:report",
    "alumni:report",
]


@pytest.mark.parametrize("name", REPORTS)
def test_an_unknown_manager_is_a_form_error_and_no_figures_are_shown(client_for, cast, name):
    response = client_for("hr").get(reverse(name), {"manager": "nobody@nowhere"})
    assert response.status_code == 200
    assert response.context["form"].errors["manager"] == ["No one matches “nobody@nowhere”."]
    html = response.content.decode()
    assert "(filtered)" not in html
    assert response.context["rows"] == []
    assert "Fix the filters above to see the figures." in html


@pytest.mark.parametrize("name", REPORTS)
def test_the_table_says_exactly_which_filters_apply(client_for, cast, name):
    client = client_for("hr")
    engineering = cast.manager.team
    response = client.get(reverse(name), {"team": engineering.pk, "manager": cast.manager.employee_number})
    assert response.context["showing"] == "team Engineering, manager Mo Nagy"
    response = client.get(reverse(name))
    assert response.context["showing"] == ""


def test_the_filter_summary_names_dates_and_choices(client_for, cast):
    response = client_for("hr").get(
        reverse("tours:report_outcomes"), {"type": "foundational", "since": "2025-01-01", "until": "2025-06-30"}
    )
    assert response.context["showing"] == "from 2025-01-01, to 2025-06-30, type Foundational"


def test_the_csv_of_an_invalid_filter_is_empty_too(client_for, cast):
    response = client_for("hr").get(reverse("tours:report_coverage"), {"manager": "nobody", "format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == ["Measure,Value"]
