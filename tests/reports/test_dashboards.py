import datetime

from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile
from tests.factories import make_tour

TODAY = datetime.date.today()


def test_hr_dashboard_numbers_link_to_their_reports(cast, client_for):
    make_tour(
        cast.report, state="agreed", start=TODAY - datetime.timedelta(days=700), end=TODAY + datetime.timedelta(days=30)
    )  # in force, at risk, never checked in: overdue
    page = client_for("hr").get(reverse("dashboard"))
    hr = page.context["hr"]
    assert hr["coverage"] == "20%"  # 1 of the 5 active people
    assert hr["at_risk"] == 1 and hr["overdue_checkins"] == 1
    assert hr["alumni_fresh"] == "100%"
    for name in ("tours:report_coverage", "tours:report_at_risk", "tours:report_checkins", "alumni:report"):
        assert reverse(name) in page.text


def test_alumna_sees_her_profile_freshness(cast, client_for):
    AlumniProfile.objects.filter(employee=cast.alumnus).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    page = client_for("alumnus").get(reverse("dashboard")).text
    assert "Your profile was last updated" in page and "is it still right?" in page


def test_insights_waiting_for_a_rating_are_counted_up_to_a_cap(cast, client_for, monkeypatch):
    from networks import dashboard
    from networks.models import Contribution

    for n in range(3):
        Contribution.objects.create(contributor=cast.report, kind="market", title=f"t{n}", insight="i")
    page = client_for("manager").get(reverse("dashboard"))
    assert "3 insights waiting for your rating" in page.text
    monkeypatch.setattr(dashboard, "RATE_CAP", 2)
    page = client_for("manager").get(reverse("dashboard"))
    assert "More than 2 insights waiting for your rating" in page.text
