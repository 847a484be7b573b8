"""What a list of tours can be narrowed to: who may see them, in force on a day, open, ending soon, overdue for a
check-in. The states a tour moves through are declared here (Tour.State) so that these conditions need no model."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from alliance.models import Employee
from alliance.roles import roles_of
from tours.schedule import CHECKIN_GRACE_DAYS


class TourState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    COMPLETED = "completed", "Completed"
    ENDED_EARLY = "ended_early", "Ended early"


OPEN_STATES = [TourState.DRAFT, TourState.PROPOSED, TourState.AGREED]


def in_force_on(on):
    """Agreed, started and not yet ended on that day (a condition on Tour)."""
    return Q(state=TourState.AGREED, start_date__lte=on) & Q(Q(end_date__isnull=True) | Q(end_date__gte=on))


def checkin_overdue_on(on):
    """In force on that day with a check-in due more than the grace days before it (a condition on Tour)."""
    return in_force_on(on) & Q(checkin_due_on__lt=on - datetime.timedelta(days=CHECKIN_GRACE_DAYS))


class TourQuerySet(models.QuerySet):
    def visible_to(self, user):
        """HR: every tour. An employee: their own and their whole subtree's. Alumni: none here."""
        roles = roles_of(user)
        if roles.hr:
            return self.all()  # no semi-join: the newest-first index then serves the list directly
        me = roles.employee
        if me is None:
            # Preboarding: a person starting later reads their own (first) tour; alumni see none here.
            return self.filter(employee=roles.starter) if roles.starter else self.none()
        return self.filter(employee__in=Employee.objects.visible_to(user))  # a prefix of the reporting-line path

    def in_force(self, on=None):
        return self.filter(in_force_on(on or timezone.localdate()))

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def ending_within(self, days, on=None):
        on = on or timezone.localdate()
        return self.filter(end_date__gte=on, end_date__lte=on + datetime.timedelta(days=days))

    def with_related(self):
        return self.select_related(
            "employee__team", "employee__manager", "employee__user", "current_revision", "agreed_revision"
        )

    def for_list(self):
        """The columns the tour list shows and no more: the revisions (whole terms) and the employee's
        user row cost more to fetch and build than the page's other work (150 model instances a page)."""
        return self.select_related("employee__team", "employee__manager").only(
            *(
                "title",
                "type",
                "state",
                "start_date",
                "end_date",
                "next_tour_on",
                "current_revision",
                "agreed_revision",
            ),
            *("employee__first_name", "employee__last_name", "employee__team__name"),
            *("employee__manager__first_name", "employee__manager__last_name"),
        )
