"""Demo agendas: Emma's next check-in with talking points from both sides (one already covered) and both sides'
private notes, and the agenda of an overdue check-in in Marcus's team, ready for "We met"."""

from alliance.models import Employee
from meetings import services
from meetings.models import TalkingPoint
from tours.models import Tour

EMMA_POINTS = [
    ("employee", "Which conference should I submit the platform talk to?", False),
    ("manager", "Support rotation versus the migration: what gives this quarter?", False),
    ("manager", "Onboarding buddy for the new hire", True),
    ("employee", "Feedback from the design review", False),
]


def seed_demo():
    """Idempotent: a tour that already has talking points is left alone."""
    emma = Employee.objects.select_related("user", "manager__user").get(employee_number="D-004")
    tour = Tour.objects.filter(employee=emma, state=Tour.State.AGREED).first()
    if tour is not None and tour.checkin_due_on and not TalkingPoint.objects.filter(tour=tour).exists():
        users = {"employee": emma.user, "manager": emma.manager.user}
        for side, text, covered in EMMA_POINTS:
            point = services.point_add(tour=tour, user=users[side], text=text)
            if covered:
                services.point_cover(point=point, user=users[side], covered=True)
        services.note_save(tour=tour, user=emma.user, text="Ask whether the team lead role opens next year.")
        services.note_save(tour=tour, user=emma.manager.user, text="Emma is ready for more scope: say so.")
    # Marcus's report whose tour ends soon, with a check-in overdue: an agenda to meet on today.
    overdue = (
        Tour.objects.filter(employee__manager=emma.manager, state=Tour.State.AGREED, checkin_due_on__isnull=False)
        .exclude(employee=emma)
        .select_related("employee__user")
        .order_by("checkin_due_on", "pk")
        .first()
    )
    if overdue is not None and not TalkingPoint.objects.filter(tour=overdue).exists():
        services.point_add(tour=overdue, user=emma.manager.user, text="What comes after this tour?")
        services.point_add(tour=overdue, user=overdue.employee.user, text="Handover plan for the launch")
