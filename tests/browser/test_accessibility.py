"""Every kind of page passes axe-core (WCAG 2.0/2.1 A and AA, plus axe's best practices) for the role
that sees it, on the demo company. axe is injected into a context that bypasses the CSP (only here:
the journeys keep the real policy). A failure lists each violation with its rule, impact, page and
the selectors of the offending elements."""

import io
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance.demo import DEMO_PASSWORD
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
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo company (the README's sign-ins) and the objects whose pages are checked."""
    from alliance.models import Employee
    from alumni.models import AlumniProfile
    from networks.models import Contribution, Event
    from tours.models import Programme, Tour

    call_command("seed_demo", stdout=io.StringIO())
    emma, marcus, alice = (Employee.objects.get(employee_number=n) for n in ("D-004", "D-003", "D-005"))
    return SimpleNamespace(
        emma=emma,
        marcus=marcus,
        alice=alice,
        profile=alice.alumni_profile,
        other_profile=AlumniProfile.objects.exclude(pk=alice.alumni_profile.pk).order_by("pk").first(),
        agreed=Tour.objects.get(employee=emma, state=Tour.State.AGREED),
        draft=Tour.objects.get(employee=emma, state=Tour.State.DRAFT),
        proposed=Tour.objects.filter(state=Tour.State.PROPOSED, employee__manager=marcus).first(),
        programme=Programme.objects.order_by("pk").first(),
        insight=Contribution.objects.get(contributor=emma),
        team_insight=Contribution.objects.filter(contributor__manager=marcus).exclude(contributor=emma).first(),
        event=Event.objects.order_by("pk").first(),
    )


class Audit:
    """Visits pages in one browser tab and collects axe's violations."""

    def __init__(self, page):
        self.page, self.violations, self.pages = page, [], 0

    def visit(self, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check(path)

    def check(self, label):
        self.page.add_script_tag(path=str(AXE_JS))
        self.pages += 1
        for v in self.page.evaluate(RUN_AXE, TAGS):
            self.violations.append(
                f"[{v['impact']}] {v['id']} on {label}: {v['help']}\n" + "".join(f"    {t}\n" for t in v["targets"])
            )

    def sign_in(self, email):
        self.page.context.clear_cookies()
        sign_in(self.page, email, DEMO_PASSWORD)

    def assert_clean(self):
        print(f"axe checked {self.pages} pages")
        assert not self.violations, f"{len(self.violations)} axe violations:\n" + "".join(self.violations)


def url(name, *args):
    return reverse(name, args=args)


def test_hr_pages(axe_page, demo):
    audit = Audit(axe_page)
    audit.sign_in("hr@example.com")
    d = demo
    for path in [
        url("dashboard"),
        url("company"),
        url("company_edit"),
        url("notifications"),
        url("people:list"),
        url("people:list") + "?q=emma",
        url("people:create"),
        url("people:detail", d.emma.pk),
        url("people:edit", d.emma.pk),
        url("people:import"),
        url("tours:index"),
        url("tours:create"),
        url("tours:create") + f"?employee={d.emma.pk}&type=transformational",
        url("tours:create") + f"?employee={d.emma.pk}&type=rotational&programme={d.programme.pk}",
        url("tours:create") + f"?employee={d.emma.pk}&type=foundational",
        url("tours:detail", d.agreed.pk),
        url("tours:detail", d.draft.pk),
        url("tours:detail", d.proposed.pk),
        url("tours:edit", d.draft.pk),
        url("tours:delete", d.draft.pk),
        url("tours:compare", d.agreed.pk),
        url("tours:print", d.agreed.pk),
        url("tours:end", d.agreed.pk),
        url("tours:programmes"),
        url("tours:programme_create"),
        url("tours:programme_edit", d.programme.pk),
        url("tours:programme_delete", d.programme.pk),
        url("networks:index"),
        url("networks:detail", d.insight.pk),
        url("networks:rate", d.insight.pk),
        url("networks:budgets"),
        url("networks:team_fund"),
        url("networks:events"),
        url("networks:event", d.event.pk),
        url("networks:event_create"),
        url("networks:event_edit", d.event.pk),
        url("alumni:roster"),
        url("alumni:directory"),
        url("alumni:referrals"),
        url("alumni:detail", d.profile.pk),
        url("alumni:rehire", d.profile.pk),
        url("alumni:leave", d.emma.pk),
        url("reports"),
        url("tours:report_at_risk"),
        url("tours:report_coverage"),
        url("tours:report_outcomes"),
        url("tours:report_checkins"),
        url("networks:report"),
        url("alumni:report"),
        url("password_change"),
        url("password_change_done"),
    ]:
        audit.visit(path)
    audit.visit(url("alumni:me"), status=403)
    audit.visit("/no-such-page/", status=404)

    # A form sent back with errors, and the import preview.
    audit.visit(url("people:create"))
    axe_page.locator("main form").evaluate("form => { form.noValidate = true; }")
    axe_page.get_by_role("button", name="Save", exact=True).click()
    audit.check("person create with errors")
    audit.visit(url("people:import"))
    axe_page.locator("input[type=file]").set_input_files(str(ROOT / "docs" / "employees-sample.csv"))
    axe_page.get_by_role("button", name="Preview").click()
    audit.check("import preview")
    audit.assert_clean()


def test_manager_pages(axe_page, demo):
    audit = Audit(axe_page)
    audit.sign_in("manager@example.com")
    d = demo
    for path in [
        url("dashboard"),
        url("people:list"),
        url("people:detail", d.emma.pk),
        url("tours:index"),
        url("tours:detail", d.agreed.pk),
        url("tours:check_in", d.agreed.pk),
        url("networks:to_rate"),
        url("networks:rate", d.team_insight.pk),
        url("networks:team_fund"),
        url("alumni:directory"),
        url("reports"),
        url("tours:report_at_risk"),
    ]:
        audit.visit(path)
    audit.assert_clean()


def test_employee_pages(axe_page, demo):
    audit = Audit(axe_page)
    audit.sign_in("employee@example.com")
    d = demo
    for path in [
        url("dashboard"),
        url("people:detail", d.emma.pk),
        url("tours:index"),
        url("tours:detail", d.agreed.pk),
        url("tours:detail", d.draft.pk),
        url("tours:check_in", d.agreed.pk),
        url("networks:index"),
        url("networks:mine"),
        url("networks:create"),
        url("networks:detail", d.insight.pk),
        url("networks:edit", d.insight.pk),
        url("networks:delete", d.insight.pk),
        url("networks:fund"),
        url("networks:spend"),
        url("networks:events"),
        url("notifications"),
        url("company"),
        url("alumni:directory"),
    ]:
        audit.visit(path)
    audit.visit(url("people:list"), status=403)
    audit.visit(url("tours:detail", 999_999), status=404)
    audit.assert_clean()


def test_alumna_pages(axe_page, demo):
    audit = Audit(axe_page)
    audit.sign_in("alumna@example.com")
    for path in [
        url("dashboard"),
        url("alumni:me"),
        url("alumni:me_edit"),
        url("alumni:me_delete"),
        url("alumni:refer"),
        url("alumni:directory"),
        url("notifications"),
        url("company"),
    ]:
        audit.visit(path)
    audit.visit(url("tours:index"), status=403)
    audit.assert_clean()


def test_anonymous_pages(axe_page, demo):
    from alumni import services

    audit = Audit(axe_page)
    user = demo.emma.user
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    for path in [
        url("login"),
        url("password_reset"),
        url("password_reset_done"),
        url("password_reset_complete"),
    ]:
        audit.visit(path)
    # The reset link redirects to its set-password form.
    audit.visit(url("password_reset_confirm", uid, token))
    audit.visit("/no-such-page/", status=404)
    audit.visit(url("alumni:accept", "not-a-token"), status=404)

    services.send_invitation(employee=demo.other_profile.employee, by=demo.marcus.user)
    audit.visit(re.search(r"http://\S+(/alumni/invitation/\S+/)", mail.outbox[-1].body).group(1))
    audit.visit(url("login"))
    axe_page.get_by_label("Email address").fill("nobody@example.com")
    axe_page.get_by_label("Password").fill("wrong")
    axe_page.get_by_role("button", name="Sign in").click()
    audit.check("sign-in refused")
    audit.assert_clean()
