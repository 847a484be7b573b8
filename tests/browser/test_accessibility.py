"""Every kind of page passes axe-core (WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices) with no
violation of any impact, for the role that sees it, on the demo company; each also has its own title
and reflows at 320 px. axe is injected into a context that bypasses the CSP (only here: the journeys
and the keyboard tests keep the real policy). A failure lists every finding with its rule, impact,
page (and who was signed in) and the selectors of the offending elements."""

import os
import re
from pathlib import Path

import pytest

from alliance.demo import DEMO_PASSWORD
from tests.browser.axe_pages import DESKTOP, PAGES
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def axe_page(chromium, live_server):
    if not AXE_JS.exists():
        message = f"axe-core is not installed at {AXE_JS} (make test runs npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Reduced motion turns Bootstrap's transitions off, so axe never sees a colour halfway through one.
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True, viewport=DESKTOP, reduced_motion="reduce")
    context.set_default_timeout(10_000)
    # Handed to Chromium once and run as each document starts: injecting the 550 kB script per page cost as much
    # as running axe.
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    yield page
    context.close()


class Audit:
    """Visits pages in one browser tab and collects axe's violations (every impact: the pages have none,
    so a moderate one such as heading-order or region fails too) and pages that do not reflow."""

    def __init__(self, page):
        self.page, self.violations, self.pages, self.who = page, [], 0, "anonymous"

    def visit(self, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check(path)

    def submit(self, button):
        """Clicks a button that sends a form, and waits for the page it answers with: a click returns once the
        navigation starts, and axe run then can meet a document that is not yet parsed (no main, no h1)."""
        with self.page.expect_navigation():
            button.click()

    def check(self, label):
        label = f"{label} ({self.who})"
        if not self.page.evaluate("typeof axe === 'object'"):  # set_content() replaces the document: no init script
            self.page.add_script_tag(path=str(AXE_JS))
        self.pages += 1
        for v in self.page.evaluate(RUN_AXE, TAGS):
            self.violations.append(
                f"[{v['impact']}] {v['id']} on {label}: {v['help']}\n" + "".join(f"    {t}\n" for t in v["targets"])
            )
        # WCAG 2.4.2: every page says what it is in its title, not just the site's name.
        if self.page.title().startswith("Alliance ·"):
            self.violations.append(f"[title] {label} has the default title {self.page.title()!r}\n")
        # WCAG 4.1.1 (axe no longer checks it): no id twice on a page, or labels and links point astray.
        ids = self.page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            self.violations.append(f"[duplicate-id] {label}: {', '.join(twice)}\n")
        # WCAG 1.4.10: at 320 CSS pixels nothing but a table (in its own scroller) scrolls sideways.
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 320, "height": size["height"]})
        width = self.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        self.page.set_viewport_size(size)
        if width[0] > width[1]:
            self.violations.append(f"[reflow] {label} is {width[0]} px wide in a {width[1]} px window\n")

    def sign_in(self, email):
        self.sign_out()
        sign_in(self.page, email, DEMO_PASSWORD)
        self.page.get_by_role("heading", name=re.compile("^Hello, ")).wait_for()
        self.who = email

    def sign_out(self):
        self.page.context.clear_cookies()
        self.who = "anonymous"

    def assert_clean(self):
        print(f"axe checked {self.pages} pages")
        if self.violations:
            pytest.fail(f"{len(self.violations)} findings:\n" + "".join(self.violations), pytrace=False)


@pytest.mark.parametrize("pages", PAGES, ids=[pages.__name__ for pages in PAGES])
def test_every_page_kind_passes_axe(axe_page, demo, pages):
    """Every page kind, in groups that run side by side (pytest-xdist); each group lists all its findings."""
    audit = Audit(axe_page)
    pages(audit, axe_page, demo)
    assert audit.pages >= 5
    audit.assert_clean()
