"""Issue 13's small dead ends: buttons and links that led to a refusal, or to a wrong title."""

import datetime

from django.urls import reverse

from networks.models import Contribution, Tag
from tests.factories import make_tour
from tours import services
from tours.models import Tour


def test_the_next_tour_after_two_is_titled_from_the_original(cast, client_for):
    today = datetime.date.today()
    first = make_tour(cast.report, state="agreed", start=today - datetime.timedelta(days=800), years=3)
    second = services.tour_plan_next(tour=first, user=cast.manager.user)
    assert second.title == "Next: Grow the platform team"
    Tour.objects.filter(pk=second.pk).update(state=Tour.State.AGREED, agreed_revision=second.current_revision)
    response = client_for("manager").post(reverse("tours:plan_next", args=[second.pk]))
    third = Tour.objects.get(predecessor=second)
    assert response.status_code == 302
    assert third.title == "Next: Grow the platform team"


def test_delete_draft_shows_only_on_drafts(cast, client_for):
    client = client_for("report")
    draft = make_tour(cast.report)
    assert "Delete draft" in client.get(draft.get_absolute_url()).text
    proposed = make_tour(cast.report, state="proposed", start=datetime.date.today() + datetime.timedelta(days=2000))
    assert "Delete draft" not in client.get(proposed.get_absolute_url()).text


def test_a_proposed_tour_cannot_be_deleted_as_a_draft(cast, client_for):
    proposed = make_tour(cast.report, state="proposed")
    response = client_for("report").post(reverse("tours:delete", args=[proposed.pk]), follow=True)
    assert "Only a draft can be deleted" in response.text
    assert Tour.objects.filter(pk=proposed.pk).exists()


def test_draft_a_tour_is_not_offered_for_a_departed_person(cast, client_for):
    hr = client_for("hr")
    assert "Draft a tour" in hr.get(reverse("people:detail", args=[cast.report.pk])).text
    page = hr.get(reverse("people:detail", args=[cast.alumnus.pk])).text
    assert "Draft a tour" not in page
    assert "has left the company: no new tour can start" in page


def test_draft_a_tour_is_offered_only_to_who_may_draft(cast, client_for):
    # The manager two levels up sees the page but drafts only for direct reports.
    assert "Draft a tour" not in client_for("manager").get(reverse("people:detail", args=[cast.report_report.pk])).text
    assert "Draft a tour" in client_for("report").get(reverse("people:detail", args=[cast.report_report.pk])).text


def test_an_employee_sees_their_own_managers_page_as_a_card(cast, client_for):
    cast.manager.post_company_goal = "Start a bakery"
    cast.manager.save()
    response = client_for("report").get(reverse("people:detail", args=[cast.manager.pk]))
    assert response.status_code == 200
    assert cast.manager.full_name in response.text and cast.manager.user.email in response.text
    # The card only: no alignment, tours, reports, history or actions.
    for private in ("Start a bakery", "Post-company goal", "Tours of duty", "Direct reports", "Draft a tour"):
        assert private not in response.text
    assert "Record a departure" not in response.text
    # Their manager's manager, a colleague's manager and edits stay out of reach.
    assert client_for("report_report").get(reverse("people:detail", args=[cast.manager.pk])).status_code == 404
    assert client_for("other").get(reverse("people:detail", args=[cast.manager.pk])).status_code == 404
    assert client_for("report").get(reverse("people:edit", args=[cast.manager.pk])).status_code == 403


def test_alumni_are_not_shown_links_to_the_feed(cast, client_for):
    insight = Contribution.objects.create(
        contributor=cast.alumnus, kind="talent", title="A designer", insight="Ask me.", visibility="hr"
    )
    insight.tags.add(Tag.objects.create(name="design"))
    alumnus = client_for("alumnus")
    feed = reverse("networks:index")
    for url in (reverse("networks:mine"), insight.get_absolute_url()):
        response = alumnus.get(url)
        assert response.status_code == 200 and "design" in response.text
        assert f'href="{feed}"' not in response.text and f'href="{feed}?' not in response.text
    assert f'href="{feed}?tag=design"' in client_for("hr").get(insight.get_absolute_url()).text
