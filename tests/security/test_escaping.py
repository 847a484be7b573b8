"""User-written text is escaped on every page that shows it.

`world.build()` stores a script payload in every free-text field people write (each field its own tag);
then every page of the project is opened as every member of the cast. No page may contain a payload
unescaped, and each field must show up escaped on the pages listed in EXPECTED, which proves those pages
really render the field (a page that silently stopped showing it would prove nothing).
"""

import re
from collections import defaultdict

import pytest
from django.test import Client
from django.urls import reverse

from tests.security import world as w
from tests.security.test_methods import POST_ONLY

ROLES = ("hr", "manager", "report", "report_report", "other", "alumnus")
SKIP = POST_ONLY | {"alumni:accept"}  # accept: the invitation link is the visitor's, not a signed-in page
SHOWN = re.compile(r"&lt;script&gt;alert\(&quot;([^&]+)&quot;\)")

# field tag → the pages that show it (for at least one role that may open the page).
EXPECTED = {
    "AlumniProfile.current_employer": "alumni:detail alumni:directory alumni:me alumni:me_edit alumni:roster",
    "AlumniProfile.current_title": "alumni:detail alumni:directory alumni:me alumni:me_edit alumni:roster",
    "AlumniProfile.location": "alumni:detail alumni:directory alumni:me alumni:me_edit alumni:roster",
    "AlumniProfile.note": "alumni:me alumni:me_edit",
    "AlumniProfile.profile_url": "alumni:directory alumni:me alumni:me_edit",
    "CheckIn.note": "tours:detail",
    "SignInEvent.email": "signin:log",
    "SignInEvent.detail": "signin:log",
    "CheckInProgress.note": "tours:detail",
    "Comment.body": "tours:detail",
    "CompanyValue.description": "company company_edit",
    "CompanyValue.name": "company company_edit tours:compare tours:detail tours:edit tours:print",
    "Contribution.insight": "networks:detail networks:edit networks:index networks:mine networks:rate networks:to_rate",
    "Contribution.outcome": "networks:detail networks:rate notifications",
    "Contribution.source": "networks:detail networks:edit",
    "Contribution.title": "networks:delete networks:detail networks:edit networks:fund networks:index networks:mine "
    "networks:rate networks:spend networks:team_fund networks:to_rate notifications",
    "Departure.exit_notes": "alumni:detail",
    "Departure.rehire_reason": "alumni:detail alumni:rehire",
    "E.no": "networks:event_edit people:detail people:edit",
    "Endpoint.description": "webhooks:detail webhooks:list",
    "Employee.aspirations": "people:detail people:edit",
    "Employee.core_values": "people:detail people:edit",
    "Employee.first_name": "alumni:leave dashboard networks:budgets networks:delete networks:detail networks:edit "
    "networks:event networks:fund networks:index networks:mine networks:rate networks:spend networks:team_fund "
    "networks:to_rate notifications people:detail people:edit people:list tours:compare tours:create tours:delete "
    "tours:detail tours:edit tours:index tours:print",
    "Employee.last_name": "alumni:leave dashboard networks:budgets networks:delete networks:detail networks:edit "
    "networks:event networks:fund networks:index networks:mine networks:rate networks:spend networks:team_fund "
    "networks:to_rate notifications people:detail people:edit people:list tours:compare tours:create tours:delete "
    "tours:detail tours:edit tours:index tours:print",
    "Employee.job_title": "dashboard people:detail people:edit people:list tours:print",
    "Employee.post_company_goal": "people:detail people:edit",
    "Event.description": "networks:event networks:event_edit",
    "Event.learned": "networks:event networks:event_edit",
    "Event.place": "networks:event networks:event_edit networks:events",
    "Event.title": "networks:event networks:event_edit networks:events",
    "FundSpend.note": "networks:fund",
    "Objective.description": "tours:check_in tours:compare tours:detail tours:edit tours:print",
    "Objective.measure": "tours:check_in tours:compare tours:detail tours:edit tours:print",
    "Organization.mission": "company company_edit dashboard",
    "Organization.name": "company company_edit",
    "PrivateNote.text": "meetings:workspace",  # its author's page only (tests/meetings/test_workspace.py)
    "Programme.default_company_gets": "tours:programme_edit new-rotational-tour",
    "Programme.default_employee_gets": "tours:programme_edit new-rotational-tour",
    "Programme.default_mission": "tours:programme_edit new-rotational-tour",
    "Programme.default_objectives": "tours:programme_edit new-rotational-tour",
    "Programme.default_title": "tours:programme_edit new-rotational-tour",
    "Programme.description": "tours:programme_edit",
    "Programme.name": "ended-tour ended-tour-print tours:create tours:programme_delete tours:programme_edit "
    "tours:programmes",
    "Referral.candidate_name": "alumni:me alumni:referrals",
    "Referral.contact": "alumni:referrals",
    "Referral.note": "alumni:referrals",
    "Referral.role_of_interest": "alumni:me alumni:referrals",
    "TalkingPoint.text": "meetings:workspace",
    "Team.name": "alumnus-person-page alumni:report networks:event networks:index networks:mine networks:report "
    "networks:team_fund networks:to_rate people:create people:detail people:edit people:list tours:index "
    "tours:report_at_risk tours:report_checkins tours:report_coverage tours:report_outcomes",
    "Tour.end_reason": "ended-tour",
    "TourRevision.aspirations_served": "tours:compare tours:detail tours:edit tours:print",
    "TourRevision.change_note": "tours:detail",
    "TourRevision.company_gets": "tours:compare tours:detail tours:edit tours:print",
    "TourRevision.company_invests": "tours:compare tours:detail tours:edit tours:print",
    "TourRevision.employee_gets": "tours:compare tours:detail tours:edit tours:print",
    "TourRevision.length_reason": "tours:compare tours:detail tours:edit tours:print",
    "TourRevision.mission": "tours:compare tours:detail tours:print",
    "TourRevision.mission (amended)": "tours:compare tours:edit",
    "TourRevision.title": "next-tour alumni:leave dashboard networks:create networks:edit notifications people:detail "
    "tours:check_in tours:compare tours:delete tours:detail tours:edit tours:end tours:index tours:print",
    "tag": "networks:detail networks:edit networks:index networks:mine networks:to_rate",
}


def extra_pages(world):
    """Pages of other objects than the URL walk's: the ended rotational tour, the draft next tour, the
    alumnus's person page, and step two of a new rotational tour (the programme's starting terms)."""
    cast = world.cast
    return [
        ("ended-tour", reverse("tours:detail", args=[world.rotation.pk])),
        ("ended-tour-print", reverse("tours:print", args=[world.rotation.pk])),
        ("next-tour", reverse("tours:detail", args=[world.successor.pk])),
        ("alumnus-person-page", reverse("people:detail", args=[cast.alumnus.pk])),
        (
            "new-rotational-tour",
            f"{reverse('tours:create')}?employee={cast.report_report.pk}&type=rotational&programme={world.programme.pk}",
        ),
    ]


@pytest.fixture
def crawl(cast, client):
    """Open every page as every role: ({tag: {page, ...}}, [pages with a payload unescaped], pages read)."""
    world = w.build(cast, client)
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(getattr(cast, role).user)
    pages = [(label, path, ROLES) for label, path, _ in w.urls(world) if label not in SKIP]
    pages = [(label, path, ("hr",) if label.startswith("admin") else roles) for label, path, roles in pages]
    pages = [p for p in pages if not p[0].startswith("admin") or p[0].endswith(("_change", "_changelist"))]
    pages += [(label, path, ROLES) for label, path in extra_pages(world)]
    seen, unescaped, read = defaultdict(set), [], 0
    for label, path, roles in pages:
        for role in roles:
            response = clients[role].get(path)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            read += 1
            html = response.content.decode()
            if "<script>alert(" in html or "<img src=x" in html or w.TAIL in html:
                unescaped.append(f"{label} as {role}")
            for tag in SHOWN.findall(html):
                seen[tag].add(label)
    return seen, unescaped, read


def test_user_text_is_escaped_on_every_page_that_shows_it(crawl):
    seen, unescaped, read = crawl
    assert read > 250  # pages read (HTML, 200) over all roles
    assert not unescaped, "\n".join(unescaped)
    missing = [f"{tag} on {page}" for tag, pages in EXPECTED.items() for page in pages.split() if page not in seen[tag]]
    assert not missing, "\n".join(missing)
    assert set(EXPECTED) | w.ADMIN_ONLY == w.STORED, "a field with a payload has no expected page"
    assert "admin:alumni_rehire_change" in seen["Rehire.reason"]
