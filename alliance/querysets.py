"""People's querysets: who is employed on a day (employed_on), starting later, departed; direct reports,
subtrees, the picker's search. Employee.objects is EmployeeQuerySet.as_manager() (alliance.models). And on_days,
the days filter for any moment field, and among, the rows linked to a group of people."""

import datetime

from django.db import models
from django.db.models import CharField, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from alliance import tree
from alliance.roles import roles_of


def employed_on(on, prefix=""):
    """Employed on that day: hired by then, and no departure date, or it is still ahead, or a recorded
    rehire has started by then (a condition on Employee; `prefix` applies it across a relation, e.g.
    "reports__"). A person whose start date is ahead is not employed yet: "Starts on <date>"."""
    return Q(**{f"{prefix}hire_date__lte": on}) & (
        Q(**{f"{prefix}departure_date__isnull": True})
        | Q(**{f"{prefix}departure_date__gt": on})
        | Q(**{f"{prefix}returns_on__lte": on})
    )


def on_days(field, since=None, until=None):
    """A moment (DateTimeField) `field` on the days from `since` to `until`, either of them open (None), in the
    current time zone: what `field__date__gte=since, field__date__lte=until` means, as a range of moments that an
    index on the field serves. The __date lookup converts each row's value first, so it reads every row (22 ms of
    100,000 insights for this month's few thousand, the network report's live month)."""
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gte": _start_of(since)})
    if until:
        condition &= Q(**{f"{field}__lt": _start_of(until + datetime.timedelta(days=1))})
    return condition


def among(queryset, field, people):
    """`queryset`'s rows whose `field` (a link to a person) is one of `people`; `people` None: every row (the
    trends' company-wide figures). When `people` is every employee, unfiltered (HR's report with no team or manager
    chosen: reporting.scope), a row qualifies as soon as its link is set, and on a required link every row does:
    "one of them" would cost a join of all the people to the whole table (22 ms of the network report's 78 ms at
    100,000 insights) for the same rows."""
    if people is None:
        return queryset
    if isinstance(people, EmployeeQuerySet) and not people.query.has_filters():
        optional = queryset.model._meta.get_field(field).null
        return queryset.filter(**{f"{field}__isnull": False}) if optional else queryset
    return queryset.filter(**{f"{field}__in": people})


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def erased_email(user_pk):
    """The sign-in address an erased person's account is given (portal.privacy.erase), and so the mark of an erased
    record (EmployeeQuerySet.not_erased, Employee.is_erased): no form, import or SCIM request can give anyone this
    address ("invalid", a reserved top-level domain without a dot, is refused by every email field)."""
    return f"erased-{user_pk}@invalid"


# Conditions on a person that an app above this one defines, handed down in its AppConfig.ready() so the
# people directory can filter by them without importing upwards: "covered" is tours.reports.covered_on
# (an agreed tour in force that day), the coverage report's one definition. name -> function(day) -> Q.
PERSON_CONDITIONS = {}


def starts_later(on):
    """Starting later on that day: hired with a start date still ahead, and no departure by then (a fixed term
    recorded in advance still starts). The one rule, as Employee.starts_later() says it in Python."""
    return Q(hire_date__gt=on) & (Q(departure_date__isnull=True) | Q(departure_date__gt=on))


class EmployeeQuerySet(models.QuerySet):
    def active(self, on=None):
        """Employed on the given day (default today)."""
        return self.filter(employed_on(on or timezone.localdate()))

    def departed(self, on=None):
        on = on or timezone.localdate()
        return self.filter(departure_date__lte=on).exclude(returns_on__lte=on)

    def starting(self, on=None):
        """Hired with a start date still ahead (preboarding): neither active nor departed."""
        on = on or timezone.localdate()
        return self.filter(starts_later(on))

    def not_left(self, on=None):
        """Active, or starting later: the people a sign-in link or a first tour is for."""
        on = on or timezone.localdate()
        return self.filter(employed_on(on) | starts_later(on))

    def not_erased(self):
        """Everyone but the people whose data was erased (their record stays, as "Former employee #N", for the
        reports; an integration such as SCIM must neither find nor change it)."""
        mark = Concat(Value("erased-"), Cast("user_id", CharField()), Value("@invalid"), output_field=CharField())
        return self.exclude(user__email=mark)

    def direct_reports_of(self, manager, on=None):
        """A manager's direct reports: the people employed today (or `on`) who report to them. The one
        definition every list and count of reports uses (departed and erased people are not reports)."""
        return self.filter(manager=manager).active(on)

    def with_report_count(self, on=None):
        """Each person's number of direct reports (as direct_reports_of), in the same query. A subquery
        per row, not a join + GROUP BY: grouping made PostgreSQL count the reports of all 5,000 people
        before the directory could take its 25; a subquery runs for the 25 shown (manager index)."""
        on = on or timezone.localdate()
        reports = self.model.objects.filter(employed_on(on), manager=OuterRef("pk")).order_by()
        count = reports.values("manager").annotate(n=Count("pk")).values("n")
        return self.annotate(report_count=Coalesce(Subquery(count), 0))

    def subtree_of(self, employee):
        """Everyone below this employee, reports of reports included (a prefix of alliance.tree's path)."""
        return tree.subtree(self, employee)

    def visible_to(self, user):
        """The people a user may see: HR everyone; an employee themself and their whole subtree."""
        roles = roles_of(user)
        if roles.hr:
            return self
        me = roles.employee
        if me is None:
            return self.none()
        return tree.self_and_subtree(self, me)

    def starting_with(self, text):
        """Name, employee number or email starting with `text`, as the person picker searches: one word
        matches a first or last name, two or more the first name and the last ("mo na" finds Mo Nagy)."""
        words = text.split()
        if len(words) > 1:
            name = Q(first_name__istartswith=" ".join(words[:-1]), last_name__istartswith=words[-1])
        else:
            name = Q(first_name__istartswith=text) | Q(last_name__istartswith=text)
        # Emails are stored lowercase, so a case-sensitive prefix can use the unique index on them.
        return self.filter(name | Q(employee_number__istartswith=text) | Q(user__email__startswith=text.lower()))

    def with_related(self):
        return self.select_related("user", "team", "manager")

    def for_directory(self):
        """The columns a row of the people directory shows (alliance.templatetags.rows) and no more: the three
        free-text fields, the ids and dates of every joined row cost a third of the page's query to fetch,
        compile and build into models (tests/test_people.py holds the page to its query count)."""
        return self.select_related("user", "team", "manager").only(
            *("first_name", "last_name", "job_title", "team__name", "manager_id", "user__email"),
            *("hire_date", "departure_date", "returns_on", "returns_as"),  # the status column
            *("manager__first_name", "manager__last_name", "manager__manager_id"),
        )
