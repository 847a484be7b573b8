"""The tour page reads as a statement of alliance: sides, objectives with check-in status, a track, stamps."""

import datetime
import re

from tests.factories import make_tour
from tours import services

TODAY = datetime.date.today()


def track_items(html):
    """The tour track's marks as their visible words."""
    track = re.search(r'<ol class="tour-track[^"]*"[^>]*>(.*?)</ol>', html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li[^>]*>(.*?)</li>", track, re.S)]


def test_the_track_shows_start_check_ins_today_next_tour_and_end_in_order(cast, client_for):
    start, end = TODAY - datetime.timedelta(days=200), TODAY + datetime.timedelta(days=800)
    tour = make_tour(cast.report, state="agreed", start=start, end=end)
    html = client_for("manager").get(tour.get_absolute_url()).content.decode()
    items = track_items(html)
    assert items[0] == f"Start {start:%-d %b %Y}"
    assert items[-1] == f"Ends {end:%-d %b %Y}"
    assert f"Today {TODAY:%-d %b %Y}" in items
    assert f"Next-tour conversation {tour.next_tour_on:%-d %b %Y}" in items
    assert any(item.startswith("Check-in: overdue") for item in items)
    assert 'class="tour-track upto-20"' in html  # 200 of 1000 days served


def test_an_open_ended_tour_runs_its_track_to_open_ended(cast, client_for):
    tour = make_tour(cast.report, state="agreed", tour_type="foundational", start=TODAY, end=None)
    items = track_items(client_for("manager").get(tour.get_absolute_url()).content.decode())
    assert items[-1] == "Open-ended"


def test_signatures_show_as_stamps_and_the_missing_one_as_not_signed(cast, client_for):
    tour = make_tour(cast.report, state="proposed")
    services.tour_sign(tour=tour, user=cast.report.user, revision_number=tour.current_revision.number)
    html = client_for("manager").get(tour.get_absolute_url()).content.decode()
    signer = cast.report.user.get_full_name() or cast.report.user.email
    assert '<li class="stamp signed">' in html and f"Signed by {signer}</strong>Employee" in html
    assert "<strong>Not signed yet</strong>Manager: Mo Nagy" in html


def test_objectives_show_their_latest_check_in_status(cast, client_for):
    tour = make_tour(cast.report, state="agreed", start=TODAY - datetime.timedelta(days=100))
    due = tour.checkin_dates(until=TODAY)[0]
    progress = [(o, "at_risk", "") for o in tour.agreed_revision.objectives.all()]
    services.tour_check_in(
        tour=tour, user=cast.report.user, due_on=due, other_side_keeping="yes", note="", progress=progress
    )
    html = client_for("manager").get(tour.get_absolute_url()).content.decode()
    assert '<td data-label="Latest check-in"><span class="state state-danger" data-state="at_risk">' in html
    assert f"Employee, {due:%-d %b %Y}" in html
