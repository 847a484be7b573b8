"""A person's digest: what needs them on their own tour, on their people's tours and, for HR, across the company,
and what they were told since their last digest.

One function, digests_for(), computes it; the digest email (tours.digest_mail, `send_digests`) and the
notification centre (portal.views.notifications) both render what it returns with one template
(templates/tours/includes/digest.html), so the two always show the same items. It works on a batch of people in
a fixed number of queries (the tours of all of them at once), so the weekly run over 10,000 people batches, and
HR's company section is counted once per batch and bounded: counts with links to the lists behind them, plus the
first HR_TOP of each.

The rules are the ones the rest of the app uses: Tour.checkin_due_on and checkin_is_overdue (due, overdue), the
signatures on the current revision (to sign), Tour.next_tour_on (the next-tour conversation, as the reminders and
the at-risk report), and at_risk_conditions for HR's counts.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from alliance.models import Employee, Notification
from alliance.notifications import hr_people
from alliance.roles import roles_of
from tours.models import CheckIn, Signature, Tour
from tours.querysets import checkin_overdue_on
from tours.reports import DONE, at_risk_conditions
from tours.schedule import checkin_is_overdue

ENDING_WITHIN_DAYS = 60
HR_TOP = 5  # the company section lists this many of each exception; the count links to all of them
PERSONAL_CAP = 25  # a section of one's own or one's people's tours lists at most this many, then links to the list
NEWS_CAP = 25  # the email lists at most this many notifications, then links to the notification centre


@dataclass(frozen=True)
class Item:
    text: str
    url: str  # a site path; the email prefixes SITE_URL


@dataclass
class Section:
    """One kind of item: how many there are, the first of them, and where the whole list is."""

    title: str
    total: int
    items: list
    more_url: str = ""
    linked: bool = False  # the title links to more_url (HR's counts); else only "and N more" does

    @property
    def more(self):
        return self.total - len(self.items)


@dataclass
class Group:
    title: str
    sections: list


@dataclass
class Digest:
    user: object
    groups: list = field(default_factory=list)
    news: list = field(default_factory=list)  # Notifications since the last digest (the email only)
    news_total: int = 0

    @property
    def item_count(self):
        return sum(section.total for group in self.groups for section in group.sections)

    def __bool__(self):
        return bool(self.groups or self.news)


def _tours_of(employee_ids, today):
    """Open tours (proposed, agreed) of these people and of their employed direct reports, with which side signed
    the current terms, the successor's state and the check-ins: two queries however many people."""

    def signed(role):
        return Exists(Signature.objects.filter(revision=OuterRef("current_revision"), role=role))

    reports = Employee.objects.active(today).filter(manager_id__in=employee_ids)
    return (
        Tour.objects.filter(Q(employee_id__in=employee_ids) | Q(employee__in=reports))
        .filter(state__in=[Tour.State.PROPOSED, Tour.State.AGREED])
        .select_related("employee__manager")
        .annotate(
            signed_by_employee=signed(Signature.Role.EMPLOYEE),
            signed_by_manager=signed(Signature.Role.MANAGER),
            successor_state=Subquery(Tour.objects.filter(predecessor=OuterRef("pk")).values("state")[:1]),
        )
        .prefetch_related(Prefetch("checkins", queryset=CheckIn.objects.only("tour_id", "due_on", "side")))
        .order_by("end_date", "pk")
    )


def _tour_items(tour, side, today, *, name):
    """(kind, Item) for what this side of the tour should do: sign, check in, hold the next-tour conversation, and
    a tour ending within ENDING_WITHIN_DAYS with no next tour agreed."""
    items = []
    url = tour.get_absolute_url()
    title = f"“{tour.title}”{name}"
    signed = tour.signed_by_employee if side == Signature.Role.EMPLOYEE else tour.signed_by_manager
    if (tour.state == Tour.State.PROPOSED or tour.amendment_pending) and not signed:
        what = "the amendment" if tour.amendment_pending else "the terms"
        items.append(("sign", Item(f"{title}: {what} await your signature", url)))
    if tour.state != Tour.State.AGREED or tour.start_date > today:
        return items
    due = tour.checkin_due_on
    if due is not None and due <= today and side not in {c.side for c in tour.checkins.all() if c.due_on == due}:
        overdue = checkin_is_overdue(due, today)
        kind, word = ("overdue", "overdue since") if overdue else ("due", "due since")
        items.append((kind, Item(f"{title}: check-in {word} {due:%d %b %Y}", url)))
    if tour.next_tour_on and tour.next_tour_on <= today <= tour.end_date and tour.successor_state is None:
        text = f"{title}: the next-tour conversation is due (ends {tour.end_date:%d %b %Y})"
        items.append(("next_tour", Item(text, url)))
    soon = today + datetime.timedelta(days=ENDING_WITHIN_DAYS)
    if tour.end_date and today <= tour.end_date <= soon and tour.successor_state not in DONE:
        items.append(("ending", Item(f"{title}: ends on {tour.end_date:%d %b %Y}, no next tour agreed", url)))
    return items


PERSONAL_SECTIONS = [
    ("sign", "To sign"),
    ("overdue", "Check-ins overdue"),
    ("due", "Check-ins due"),
    ("next_tour", "Next-tour conversations due"),
    ("ending", f"Ending within {ENDING_WITHIN_DAYS} days"),
]


def _group(title, pairs, more_url):
    sections = []
    for kind, heading in PERSONAL_SECTIONS:
        items = [item for k, item in pairs if k == kind]
        if items:
            sections.append(Section(heading, len(items), items[:PERSONAL_CAP], more_url))
    return Group(title, sections) if sections else None


def company_sections(today):
    """HR's company section: each exception counted over the whole company (one aggregate) and its first HR_TOP
    tours (one query each), whatever the company's size."""
    ending, conversation = at_risk_conditions(today, ENDING_WITHIN_DAYS)
    agreed = Q(state=Tour.State.AGREED)
    live = agreed & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    at_risk = reverse("tours:report_at_risk")
    kinds = [
        ("Check-ins overdue", live & checkin_overdue_on(today), "checkin_due_on", reverse("tours:report_checkins")),
        ("Proposals awaiting signatures", Q(state=Tour.State.PROPOSED), "start_date",
         f"{reverse('tours:index')}?state=proposed"),
        (f"Ending within {ENDING_WITHIN_DAYS} days, no next tour agreed", agreed & ending, "end_date",
         f"{at_risk}?days={ENDING_WITHIN_DAYS}"),
        ("Next-tour conversations due, no next tour drafted", agreed & conversation, "next_tour_on", at_risk),
    ]  # fmt: skip
    # Only proposed and agreed tours can count: tour_state_end_idx finds them, not a scan of every tour.
    candidates = Tour.objects.filter(state__in=[Tour.State.PROPOSED, Tour.State.AGREED])
    totals = candidates.aggregate(**{str(i): Count("pk", filter=kind[1]) for i, kind in enumerate(kinds)})
    sections = []
    for i, (title, condition, order, url) in enumerate(kinds):
        if not totals[str(i)]:
            continue
        top = Tour.objects.filter(condition).select_related("employee").order_by(order, "pk")[:HR_TOP]
        items = [Item(f"“{t.title}” ({t.employee.full_name})", t.get_absolute_url()) for t in top]
        sections.append(Section(title, totals[str(i)], items, url, linked=True))
    return sections


def digests_for(users, *, today=None, since=None, known=None):
    """The digest of each of these users, in their order. `since` ({user id: datetime}) asks for the news: their
    unread notifications since then (the email's; the notification centre lists every notification itself).
    `known` ({user id: (employee employed today or None, holds HR)}) spares the two queries that find them, when
    the caller has them already (a request's roles). A fixed number of queries for the batch, whatever its size:
    the people, the tours (2), HR's ids, the company section when an HR person is in the batch (5), the news (1)."""
    today = today or timezone.localdate()
    users = list(users)
    ids = [user.pk for user in users]
    if known is None:
        active = Employee.objects.active(today).filter(user_id__in=ids).only("pk", "user_id")
        employees = {e.user_id: e.pk for e in active}
        hr = set(hr_people().filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    else:
        employees = {pk: employee.pk for pk, (employee, _) in known.items() if employee is not None}
        hr = {pk for pk, (_, holds_hr) in known.items() if holds_hr}
    by_employee = {employee_id: user_id for user_id, employee_id in employees.items()}
    mine, theirs = {}, {}
    for tour in _tours_of(list(by_employee), today) if by_employee else ():
        if tour.employee_id in by_employee:
            pairs = _tour_items(tour, Signature.Role.EMPLOYEE, today, name="")
            mine.setdefault(by_employee[tour.employee_id], []).extend(pairs)
        if tour.employee.manager_id in by_employee:
            pairs = _tour_items(tour, Signature.Role.MANAGER, today, name=f" ({tour.employee.full_name})")
            theirs.setdefault(by_employee[tour.employee.manager_id], []).extend(pairs)
    company = company_sections(today) if hr else []
    news = _news(ids, since) if since else {}
    tour_list = reverse("tours:index")
    digests = []
    for user in users:
        digest = Digest(user)
        for group in (
            _group("Your tour", mine.get(user.pk, []), tour_list),
            _group("Your people", theirs.get(user.pk, []), tour_list),
            Group("The company", company) if user.pk in hr and company else None,
        ):
            if group:
                digest.groups.append(group)
        digest.news, digest.news_total = news.get(user.pk, ([], 0))
        digests.append(digest)
    return digests


def _news(ids, since):
    """Each user's unread notifications since their `since`, newest first, at most NEWS_CAP each, and how many:
    the time-based reminders are left out (the digest lists what they remind of as items), and so is what was
    emailed at once (a tour to sign). One query."""
    earliest = min(since.values())
    rows = (
        Notification.objects.filter(user_id__in=ids, read_at=None, mailed=False, created_at__gt=earliest)
        .exclude(kind="reminder")
        .only("user_id", "message", "url", "created_at")
    )
    news = {}
    for n in rows.order_by("-created_at", "-id"):
        if n.user_id in since and n.created_at > since[n.user_id]:
            listed, total = news.get(n.user_id, ([], 0))
            if len(listed) < NEWS_CAP:
                listed.append(n)
            news[n.user_id] = (listed, total + 1)
    return news


def digest_for(user, *, today=None):
    """One person's digest (the notification centre's): digests_for() for one, with the roles the request has."""
    roles = roles_of(user)
    return digests_for([user], today=today, known={user.pk: (roles.employee, roles.hr)})[0]
