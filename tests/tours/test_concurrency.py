"""Two people editing the same tour at once: the second save is refused and keeps their input."""

from django.urls import reverse

from tests.factories import make_tour
from tests.tours.test_workflow import terms_post


def test_interleaved_edits_second_save_is_refused_and_input_kept(cast):
    from django.test import Client

    tour = make_tour(cast.report, state="proposed")
    employee, manager = Client(), Client()
    employee.force_login(cast.report.user)
    manager.force_login(cast.manager.user)
    # Both open the edit form on revision 1.
    assert employee.get(reverse("tours:edit", args=[tour.pk])).context["form"].initial["base_revision"] == 1
    assert manager.get(reverse("tours:edit", args=[tour.pk])).context["form"].initial["base_revision"] == 1
    # The employee saves first: revision 2.
    first = employee.post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(tour.start_date, tour.end_date, title="Employee's title", base_revision=1),
    )
    assert first.status_code == 302
    # The manager saves the form they opened on revision 1: refused, nothing overwritten.
    second = manager.post(
        reverse("tours:edit", args=[tour.pk]),
        terms_post(tour.start_date, tour.end_date, title="Manager's title", base_revision=1),
    )
    assert second.status_code == 200
    assert "While you were editing" in second.text and "saved revision 2" in second.text
    assert second.context["form"]["title"].value() == "Manager's title"  # their input is still in the form
    tour.refresh_from_db()
    assert tour.current_revision.number == 2 and tour.title == "Employee's title"
    assert tour.revisions.count() == 2
