"""Every link a person is shown leads somewhere they may go.

For each member of the cast, and each demo sign-in, start at the dashboard and follow every same-site
<a href> breadth-first (at most PAGES_PER_ROLE pages). Each link must answer 200, or a redirect listed
in REDIRECTS. A 403/404/405/500 behind a link is a dead end: hide the link or fix the page.
"""

import datetime
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import resolve

from alliance.models import Employee
from networks.models import Contribution, Tag
from tests.factories import make_tour
from tours import services

PAGES_PER_ROLE = 300
# Query-string variants of one page (sorting, filters, pagination) add little: a few per path.
VARIANTS_PER_PATH = 3

# Links never followed, with the reason.
SKIP_PREFIXES = {
    "/accounts/logout/": "signing out ends the crawl's session",
    "/admin/": "the Django admin is for staff only (no crawled role is staff)",
    "/static/": "files, not pages",
}

# Redirects a link may answer with, by URL name: where they lead is crawled like any other link.
REDIRECTS = {
    "alumni:index": "the alumni section's front door sends each role to its own alumni page",
    "notification_open": "opening a notification marks it read and goes to what it is about",
    # The crawl signs in without a password (force_login): adding a second factor asks for it first (allauth's
    # reauthentication page, crawled as a link); a real sign-in counts as that for five minutes.
    "mfa_activate_totp": "adding an authenticator app asks for the password again first",
    "mfa_add_webauthn": "adding a passkey asks for the password again first",
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base, html):
    parser = _Links()
    parser.feed(html)
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urlsplit(urljoin(base, href))
        if url.netloc and url.netloc != "testserver":
            continue
        yield url.path + (f"?{url.query}" if url.query else "")


def crawl(client):
    """{url: (status, the page that linked to it)} for every link that is a dead end."""
    seen, per_path, dead = {"/"}, {}, {}
    queue = deque([("/", "start")])
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url, referrer = queue.popleft()
        visited += 1
        response = client.get(url)
        status = response.status_code
        if status in (301, 302):
            name = resolve(urlsplit(url).path).view_name
            if name not in REDIRECTS:
                dead[url] = (status, referrer, response["Location"])
                continue
            targets = [urljoin(url, response["Location"])]
        elif status == 200:
            if not response["Content-Type"].startswith("text/html"):
                continue
            targets = list(_links(url, response.content.decode()))
        else:
            dead[url] = (status, referrer)
            continue
        for target in targets:
            path = urlsplit(target).path
            if target in seen or path.startswith(tuple(SKIP_PREFIXES)):
                continue
            if "?" in target:
                per_path[path] = per_path.get(path, 0) + 1
                if per_path[path] > VARIANTS_PER_PATH:
                    continue
            seen.add(target)
            queue.append((target, url))
    return dead


@pytest.fixture
def cast_world(cast):
    """Tours in every state around the cast, so tour pages and their links are reached."""
    today = datetime.date.today()
    agreed = make_tour(cast.report, state="agreed", start=today - datetime.timedelta(days=100))
    services.tour_plan_next(tour=agreed, user=cast.manager.user)
    make_tour(cast.report_report, state="proposed", title="Run the on-call rota")
    make_tour(cast.other, title="Open the Nordic market", author=cast.hr.user)
    # An alumnus's own insight, tagged: its page and the list of theirs link to tags.
    insight = Contribution.objects.create(
        contributor=cast.alumnus, kind="talent", title="A designer to hire", insight="Ask me.", visibility="hr"
    )
    insight.tags.add(Tag.objects.create(name="design"))
    return cast


@pytest.mark.parametrize("role", ["hr", "manager", "report", "report_report", "other", "alumnus"])
def test_every_link_the_cast_is_shown_leads_somewhere(client_for, cast_world, role):
    assert crawl(client_for(role)) == {}


DEMO_SIGN_INS = ["hr@example.com", "manager@example.com", "employee@example.com", "alumna@example.com"]


@pytest.mark.parametrize("email", DEMO_SIGN_INS)
def test_every_link_a_demo_sign_in_is_shown_leads_somewhere(client, demo_company, email):
    client.force_login(Employee.objects.get(user__email=email).user)
    assert crawl(client) == {}
