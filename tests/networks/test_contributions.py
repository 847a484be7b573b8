"""Contributions: visibility through every page that lists them, editing until rated, rating."""

import pytest
from django.core import mail
from django.urls import reverse

from networks.models import Contribution, Tag

PAGES = ["networks:index", "networks:mine", "networks:to_rate"]


def immediate(person):
    """This person asked for every email at once (their account page); the default folds it into the digest."""
    person.user.mail = person.user.Mail.IMMEDIATE
    person.user.save(update_fields=["mail"])


def share(employee, title, visibility="everyone", **extra):
    c = Contribution.objects.create(
        contributor=employee, kind="market", title=title, insight="Insight text", visibility=visibility, **extra
    )
    return c


def pages_seen(client, contribution):
    """Every page that could show the contribution, and whether its title appears there."""
    seen = {}
    for name in PAGES:
        response = client.get(reverse(name))
        seen[name] = response.status_code == 200 and contribution.title in response.text
    for query in ({"q": "Insight"}, {"kind": "market"}):
        response = client.get(reverse("networks:index"), query)
        seen[f"search {query}"] = response.status_code == 200 and contribution.title in response.text
    seen["detail"] = client.get(contribution.get_absolute_url()).status_code == 200
    export = client.get(reverse("networks:export"))
    seen["export"] = export.status_code == 200 and contribution.title in b"".join(export.streaming_content).decode()
    seen["dashboard"] = contribution.title in client.get(reverse("dashboard")).text
    return seen


@pytest.mark.parametrize(
    ("visibility", "who_sees"),
    [
        ("everyone", {"hr", "manager", "report", "report_report", "other"}),
        ("managers", {"hr", "manager", "report"}),  # managers above the contributor, and HR
        ("hr", {"hr"}),
    ],
)
def test_each_visibility_level_through_every_page(cast, client_for, visibility, who_sees):
    item = share(cast.report_report, f"Secret {visibility} thing", visibility=visibility)
    for role in ["hr", "manager", "report", "other", "alumnus"]:
        seen = pages_seen(client_for(role), item)
        assert seen["detail"] == (role in who_sees), (role, seen)
        assert seen["networks:index"] == (role in who_sees), (role, seen)
        assert seen["export"] == (role == "hr"), (role, seen)  # the export is HR's
        if role not in who_sees:
            assert not any(seen.values()), (role, seen)
    # The contributor always sees their own.
    assert pages_seen(client_for("report_report"), item)["networks:mine"]


def test_an_hr_only_item_never_reaches_an_employee(cast, client_for):
    item = share(cast.manager, "HR-only acquisition rumour", visibility="hr")
    client = client_for("report")
    assert not any(pages_seen(client, item).values())
    assert client.get(reverse("networks:rate", args=[item.pk])).status_code == 404
    assert client.get(reverse("networks:edit", args=[item.pk])).status_code == 404


def test_share_with_tags_and_edit_until_rated(cast, client_for):
    client = client_for("report")
    response = client.post(
        reverse("networks:create"),
        {
            "kind": "competitor",
            "title": "Rival cuts prices",
            "insight": "Heard at a meetup.",
            "source": "",
            "tags_text": "Pricing, fintech, pricing",
            "visibility": "everyone",
            "tour": "",
        },
    )
    c = Contribution.objects.get()
    assert response.url == c.get_absolute_url()
    assert sorted(t.name for t in c.tags.all()) == ["fintech", "pricing"]
    assert "Rival cuts prices" in client.get(reverse("networks:index"), {"tag": "pricing"}).text
    assert "Rival cuts prices" not in client.get(reverse("networks:index"), {"tag": "pric"}).text  # exact tags
    assert client.get(reverse("networks:edit", args=[c.pk])).status_code == 200
    c.rating = 4
    c.save()
    response = client.post(
        reverse("networks:edit", args=[c.pk]), {"kind": "other", "title": "Changed", "insight": "x", "visibility": "hr"}
    )
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.title == "Rival cuts prices"


def test_manager_rates_and_marks_acted_on_and_the_contributor_is_told(
    cast, client_for, django_capture_on_commit_callbacks
):
    c = share(cast.report_report, "A customer wants SSO", visibility="managers")
    immediate(cast.report_report)
    manager = client_for("manager")  # two levels up
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("networks:rate", args=[c.pk]), {"rating": "5", "acted_on": "on", "outcome": "Signed a pilot."}
        )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.rating == 5 and c.acted_on and c.rated_by == cast.manager.user
    note = cast.report_report.user.notifications.get()
    assert "rated 5/5 and acted on: Signed a pilot." in note.message
    assert mail.outbox[0].to == [cast.report_report.user.email]


def test_acted_on_needs_an_outcome_and_rating_is_1_to_5(cast, client_for):
    c = share(cast.report, "Thing")
    client = client_for("manager")
    response = client.post(reverse("networks:rate", args=[c.pk]), {"rating": "5", "acted_on": "on", "outcome": ""})
    assert "Say what came of it" in response.text
    response = client.post(reverse("networks:rate", args=[c.pk]), {"rating": "9"})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    c.refresh_from_db()
    assert c.rating is None


def test_no_one_rates_their_own_or_outside_their_subtree(cast, client_for):
    mine = share(cast.manager, "My own")
    assert client_for("manager").get(reverse("networks:rate", args=[mine.pk])).status_code == 403
    theirs = share(cast.other, "Other team")
    assert client_for("manager").get(reverse("networks:rate", args=[theirs.pk])).status_code == 403
    assert client_for("hr").get(reverse("networks:rate", args=[theirs.pk])).status_code == 200


def test_delete_asks_first_and_only_until_rated(cast, client_for):
    c = share(cast.report, "To delete")
    client = client_for("report")
    assert "cannot be undone" in client.get(reverse("networks:delete", args=[c.pk])).text
    client.post(reverse("networks:delete", args=[c.pk]))
    assert not Contribution.objects.filter(pk=c.pk).exists()


def test_an_alumnus_shares_with_hr_only(cast, client_for):
    client = client_for("alumnus")
    form = client.get(reverse("networks:create"))
    assert form.status_code == 200 and "Everyone in the company" not in form.text
    client.post(
        reverse("networks:create"),
        {"kind": "talent", "title": "A great engineer is looking", "insight": "x", "visibility": "everyone"},
    )
    assert not Contribution.objects.exists()  # "everyone" is not a choice for them
    client.post(
        reverse("networks:create"),
        {"kind": "talent", "title": "A great engineer is looking", "insight": "x", "visibility": "hr"},
    )
    assert Contribution.objects.get().visibility == "hr"
    assert client.get(reverse("networks:index")).status_code == 403


def test_feed_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    tag = Tag.objects.create(name="ai")
    for i in range(120):
        c = share(cast.report if i % 2 else cast.other, f"Insight {i}", visibility=["everyone", "managers"][i % 2])
        c.tags.add(tag)
    client = client_for("manager")
    # session, user, HR perms (user, group), person, "has reports", count, page (contributor, team,
    # user joined), tags prefetch, unread notifications, team choices, session refresh (3)
    with django_assert_num_queries(9):
        response = client.get(reverse("networks:index"))
    assert response.context["page"].paginator.count == 120


def test_a_rating_that_lands_during_an_edit_or_delete_wins_and_a_rating_keeps_an_edit(cast, client_for, monkeypatch):
    from networks import access

    real = access.get_contribution_for_user
    c = share(cast.report, "Before")

    def meanwhile(**change):
        def stale(user, pk, action="view"):
            found = real(user, pk, action)  # checked and loaded...
            Contribution.objects.filter(pk=pk).update(**change)  # ...then someone else saves first
            return found

        monkeypatch.setattr(access, "get_contribution_for_user", stale)

    meanwhile(title="Edited by the contributor")
    client_for("manager").post(reverse("networks:rate", args=[c.pk]), {"rating": "4"})
    c.refresh_from_db()
    assert (c.title, c.rating) == ("Edited by the contributor", 4)  # the rating did not undo the edit

    Contribution.objects.filter(pk=c.pk).update(rating=None)
    meanwhile(rating=2)
    response = client_for("report").post(
        reverse("networks:edit", args=[c.pk]),
        {"kind": "other", "title": "Too late", "insight": "x", "visibility": "everyone"},
    )
    assert response.status_code == 403
    c.refresh_from_db()
    assert (c.title, c.rating) == ("Edited by the contributor", 2)
    Contribution.objects.filter(pk=c.pk).update(rating=None)  # meanwhile() rates it again during the delete
    assert client_for("report").post(reverse("networks:delete", args=[c.pk])).status_code == 403
    assert Contribution.objects.filter(pk=c.pk).exists()


def test_the_contributor_is_told_once_per_rating_and_once_when_acted_on(
    cast, client_for, django_capture_on_commit_callbacks
):
    c = share(cast.report, "Partners want an API")
    immediate(cast.report)
    manager = client_for("manager")
    url = reverse("networks:rate", args=[c.pk])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(url, {"rating": "3"})
        manager.post(url, {"rating": "3"})  # saved again unchanged: no second message
        manager.post(url, {"rating": "3", "acted_on": "on", "outcome": "We built it."})
    messages = list(cast.report.user.notifications.order_by("pk").values_list("message", flat=True))
    assert messages == [
        "Your insight “Partners want an API” was rated 3/5.",
        "Your insight “Partners want an API” was rated 3/5 and acted on: We built it.",
    ]
    assert [m.subject for m in mail.outbox] == ["Your insight was rated", "Your insight was acted on"]


def test_editing_keeps_the_tour_it_serves_after_that_tour_closes(cast, client_for):
    from tests.factories import make_tour
    from tours.models import Tour

    tour = make_tour(cast.report)
    client = client_for("report")
    assert tour.title in client.get(reverse("networks:create")).text
    c = share(cast.report, "For my tour", tour=tour)
    Tour.objects.filter(pk=tour.pk).update(state=Tour.State.ENDED_EARLY)
    assert tour.title not in client.get(reverse("networks:create")).text  # closed: not offered for new ones
    response = client.post(
        reverse("networks:edit", args=[c.pk]),
        {"kind": "market", "title": "For my tour, edited", "insight": "x", "visibility": "everyone", "tour": tour.pk},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.title, c.tour) == ("For my tour, edited", tour)


def test_hr_exports_the_filtered_feed_as_csv(cast, client_for):
    import csv
    import io

    share(cast.report, "=HYPERLINK(evil)", visibility="hr", acted_on=True, rating=5, outcome="Pilot signed")
    share(cast.other, "Not acted on")
    hr = client_for("hr")
    assert 'href="/networks/export.csv?acted_on=yes"' in hr.get(reverse("networks:index"), {"acted_on": "yes"}).text
    response = hr.get(reverse("networks:export"), {"acted_on": "yes"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["shared on", "kind", "title"] and len(rows) == 2
    assert rows[1][2] == "'=HYPERLINK(evil)"  # a spreadsheet shows it as text, never runs it
    assert rows[1][6:] == [
        "HR only",
        cast.report.full_name,
        cast.report.employee_number,
        str(cast.report.team),
        "5",
        "yes",
        "Pilot signed",
    ]


# Each page that lists insights, with 120 of them: session, user, HR permissions (user and group),
# then the page's own queries, the unread-notification count for the nav, and the session refresh
# (savepoint, update, release). The number never depends on how many insights there are.
@pytest.mark.parametrize(
    ("role", "name", "queries", "listed"),
    [
        # person, "has reports", count, team choices, page (contributor, team, user joined), tags
        ("hr", "index", 9, 120),
        ("report_report", "index", 9, 40),  # everyone-level: their own 40
        # person, count, then the nav's roles (HR permissions, "has reports"), page, tags
        ("report_report", "mine", 8, 40),
        # person, "has reports", count, page, tags (the subtree is a subquery, not a query)
        ("manager", "to_rate", 8, 40),  # their subtree's, not HR-only
        ("hr", "to_rate", 8, 120),
        # no nav: one page query and one tags query per 2,000 rows, streamed after the session is saved
        ("hr", "export", 7, 120),
    ],
)
def test_listing_query_counts_do_not_grow(cast, client_for, django_assert_num_queries, role, name, queries, listed):
    tag = Tag.objects.create(name="ai")
    for i in range(120):
        c = share(
            [cast.report_report, cast.other, cast.report][i % 3],
            f"Insight {i}",
            visibility=["everyone", "managers", "hr"][i % 3],
        )
        c.tags.add(tag)
    client = client_for(role)
    with django_assert_num_queries(queries):
        response = client.get(reverse(f"networks:{name}"))
        if name == "export":
            rows = b"".join(response.streaming_content).decode().strip().splitlines()
    assert (len(rows) - 1 if name == "export" else response.context["page"].paginator.count) == listed


def test_page_and_export_links_keep_the_filters(cast, client_for):
    """{% querystring %}: the next page keeps the search, and the CSV link is the filtered list without its page."""
    Contribution.objects.bulk_create(
        Contribution(contributor=cast.report, kind="market", title=f"Rival {n}", insight="i") for n in range(30)
    )
    response = client_for("hr").get(reverse("networks:index"), {"kind": "market", "q": "Rival", "page": "1"})
    assert 'href="?kind=market&amp;q=Rival&amp;page=2">Next' in response.text
    assert f'href="{reverse("networks:export")}?kind=market&amp;q=Rival">Download' in response.text
