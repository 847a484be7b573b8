"""Every report is declared once (each app's REPORTS) and linked from /reports/, the dashboard and the
navigation for the roles allowed to open it, and for no one else."""

import pytest
from django.urls import reverse

from portal.reports import ALL_REPORTS
from tests.conftest import ROLES

ALLOWED = {"hr", "manager", "report"}  # HR, and anyone with reports (the report manages report_report)
URLS = {"tours:report_at_risk", "tours:report_coverage", "tours:report_outcomes", "tours:report_checkins",
        "networks:report", "alumni:report"}  # fmt: skip


def test_all_six_reports_are_declared():
    assert {report.url_name for report in ALL_REPORTS} == URLS


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_every_report_is_linked_from_the_index_and_the_dashboard_and_opens(cast, client_for, role):
    client = client_for(role)
    index = client.get(reverse("reports")).text
    dashboard = client.get(reverse("dashboard")).text
    assert f'href="{reverse("reports")}"' in dashboard  # the navigation
    for name in URLS:
        url = reverse(name)
        assert f'href="{url}"' in index and f'href="{url}"' in dashboard, name
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("role", sorted(set(ROLES) - ALLOWED))
def test_a_role_not_allowed_sees_no_report_link_and_is_refused(cast, client_for, role):
    client = client_for(role)
    assert client.get(reverse("reports")).status_code in (302, 403)
    dashboard = client.get(reverse("dashboard"))
    for url in [reverse("reports"), *map(reverse, URLS)]:
        assert f'href="{url}"' not in dashboard.text, url
        assert client.get(url).status_code in (302, 403), url  # anonymous: to the sign-in page
