"""The page groups the accessibility test (test_accessibility.py) audits: each visits, as one demo role, every kind
of page that role sees, and the states worth checking (a form with errors, the picker open, menus open)."""

import re
from pathlib import Path

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance.notifications import notify
from alumni import services
from webhooks.demo import DEMO_URL
from webhooks.models import Endpoint

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 720}


def demo_endpoint():
    return Endpoint.objects.get(url=DEMO_URL)


def url(name, *args):
    return reverse(name, args=args)


def hr_people_pages(audit, axe_page, d):
    audit.sign_in("hr@example.com")
    for path in [
        url("dashboard"),
        url("company"),
        url("company_edit"),
        url("account"),
        url("notifications"),
        url("people:list"),
        url("people:list") + "?q=emma",
        url("people:create"),
        url("people:detail", d.emma.pk),
        url("people:edit", d.emma.pk),
        url("people:import"),
        url("audit:list"),
        url("audit:list") + "?type=person",
        url("signin:log"),
        url("signin:reset", d.emma.pk),
        url("mfa_index"),
        url("mfa_activate_totp"),
        url("mfa_add_webauthn"),
        url("webhooks:list"),
        url("webhooks:create"),
        url("webhooks:detail", demo_endpoint().pk),  # a delivery log with a retry, a delivery, a give-up
        url("webhooks:delete", demo_endpoint().pk),
        url("password_change"),
        url("password_change_done"),
    ]:
        audit.visit(path)
    audit.visit(url("alumni:me"), status=403)
    audit.visit("/no-such-page/", status=404)
    axe_page.set_content(render_to_string("500.html"))  # at the live server's address, so its CSS loads
    audit.check("server error (500)")


def hr_tour_pages(audit, axe_page, d):
    audit.sign_in("hr@example.com")
    for path in [
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
        url("tours:edit", d.agreed.pk),  # an amendment
    ]:
        audit.visit(path)


def hr_network_alumni_and_report_pages(audit, axe_page, d):
    audit.sign_in("hr@example.com")
    for path in [
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
        url("alumni:leave", d.marcus.pk),  # a manager: give the reports a new manager
        url("alumni:rehire", d.not_eligible.pk),  # HR marked them not eligible for rehire
        url("reports"),
        url("tours:report_at_risk"),
        url("tours:report_coverage"),
        url("tours:report_outcomes"),
        url("tours:report_checkins"),
        url("networks:report"),
        url("alumni:report"),
        url("horizon"),
        url("horizon") + f"?team={d.emma.team_id}",
        url("meetings:workspace", d.agreed.pk),
    ]:
        audit.visit(path)
    invitation = services.send_invitation(employee=d.other_profile.employee, by=d.hr.user)
    audit.visit(url("alumni:detail", d.other_profile.pk))
    audit.visit(url("alumni:revoke", d.other_profile.pk, invitation.pk))


def hr_interactions(audit, axe_page, d):
    """A form sent back with errors, the picker open, a second revision, the import preview."""
    audit.sign_in("hr@example.com")
    audit.visit(url("people:create"))
    axe_page.locator("main form").evaluate("form => { form.noValidate = true; }")
    audit.submit(axe_page.get_by_role("button", name="Save", exact=True))
    audit.check("person create with errors")
    # The person picker, open on its suggestions with one highlighted.
    audit.visit(url("people:edit", d.emma.pk))
    picker = axe_page.get_by_role("combobox", name="Manager")
    picker.fill("")
    picker.press_sequentially("Mar")
    axe_page.get_by_role("listbox", name="Matching people").get_by_role("option").first.wait_for()
    picker.press("ArrowDown")
    audit.check("person picker open")
    # A second revision, so the comparison shows what changed.
    audit.visit(url("tours:edit", d.draft.pk))
    axe_page.locator("#id_title").fill("Lead the platform guild")
    axe_page.get_by_role("button", name="Save the draft").click()
    axe_page.get_by_role("heading", name="Lead the platform guild").wait_for()
    audit.check("tour detail, revision 2")
    audit.visit(url("tours:compare", d.draft.pk))
    audit.visit(url("people:import"))
    axe_page.locator("input[type=file]").set_input_files(str(ROOT / "docs" / "employees-sample.csv"))
    audit.submit(axe_page.get_by_role("button", name="Preview"))
    audit.check("import preview")
    # A webhook endpoint refused (a private address), then added: its secret shown once.
    audit.visit(url("webhooks:create"))
    axe_page.get_by_label("URL").fill("http://10.0.0.5/hook")
    audit.submit(axe_page.get_by_role("button", name="Add the endpoint"))
    audit.check("webhook endpoint with errors")
    axe_page.get_by_label("URL").fill("http://127.0.0.1:9/hook")
    axe_page.get_by_label("Tour proposed").check()
    axe_page.get_by_role("button", name="Add the endpoint").click()
    axe_page.get_by_role("heading", name="Signing secret: copy it now").wait_for()
    audit.check("webhook endpoint added, its secret shown")


def manager_pages(audit, axe_page, d):
    audit.sign_in("manager@example.com")
    for path in [
        url("dashboard"),
        url("notifications"),  # with the digest's items: his people's tours to sign and ending soon
        url("account"),
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
        url("horizon"),
        url("meetings:workspace", d.agreed.pk),
        url("meetings:workspace", d.meeting.pk),
    ]:
        audit.visit(path)
    # "We met" sent without its answers: the form with its errors.
    axe_page.locator("#meeting form").evaluate("form => { form.noValidate = true; }")
    axe_page.get_by_role("button", name="We met: record my side").click()
    axe_page.locator("#meeting .invalid-feedback").first.wait_for()
    audit.check("1:1 workspace, We met with errors")


def employee_pages(audit, axe_page, d):
    for n in range(3):
        notify(user=d.emma.user, message=f"Notification {n}", url=url("tours:detail", d.agreed.pk))
    audit.sign_in("employee@example.com")
    for path in [
        url("dashboard"),
        url("people:detail", d.emma.pk),
        url("tours:index"),
        url("tours:detail", d.agreed.pk),
        url("tours:detail", d.draft.pk),
        url("tours:check_in", d.agreed.pk),
        url("meetings:workspace", d.agreed.pk),
        url("networks:index"),
        url("networks:mine"),
        url("networks:create"),
        url("networks:detail", d.insight.pk),
        url("networks:edit", d.insight.pk),
        url("networks:delete", d.insight.pk),
        url("networks:fund"),
        url("networks:spend"),
        url("networks:events"),
        url("account"),  # with her calendar link
        url("notifications"),
        url("company"),
        url("alumni:directory"),
    ]:
        audit.visit(path)
    audit.visit(url("people:list"), status=403)
    audit.visit(url("tours:detail", 999_999), status=404)

    # The API docs (Swagger UI from drf-spectacular-sidecar, with static/css/api-docs.css): rendered, then with
    # one operation tried out and its answer shown.
    axe_page.goto(url("api:docs"))
    axe_page.locator(".swagger-ui .info .title").wait_for()
    audit.check(url("api:docs"))
    axe_page.locator("#operations-tours-tours_list .opblock-summary-control").click()
    axe_page.get_by_role("button", name="Try it out").click()
    axe_page.get_by_role("button", name="Execute").click()
    axe_page.locator(".live-responses-table").first.wait_for()
    audit.check(url("api:docs") + " with an operation tried out")

    # The menus, open: the user menu, and the collapsed navigation of a phone-sized window.
    audit.visit(url("dashboard"))
    axe_page.get_by_role("button", name="Emma Lopez").click()
    axe_page.get_by_role("link", name="My page").wait_for()
    audit.check("user menu open")
    axe_page.set_viewport_size({"width": 375, "height": 700})
    audit.visit(url("dashboard"))
    axe_page.get_by_role("button", name="Toggle navigation").click()
    axe_page.get_by_role("link", name="Tours", exact=True).wait_for()
    audit.check("navigation open at 375 px")
    axe_page.set_viewport_size(DESKTOP)


def alumna_pages(audit, axe_page, d):
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
        url("account"),
    ]:
        audit.visit(path)
    audit.visit(url("tours:index"), status=403)
    audit.visit(url("alumni:me_delete"))
    axe_page.get_by_label("Type DELETE to confirm").fill("DELETE")
    axe_page.get_by_role("button", name="Delete my account for good").click()
    axe_page.get_by_role("heading", name="Your account is deleted").wait_for()
    audit.check("account deleted")


def anonymous_pages(audit, axe_page, d):
    audit.sign_out()
    user = d.emma.user
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

    services.send_invitation(employee=d.other_profile.employee, by=d.marcus.user)
    audit.visit(re.search(r"http://\S+(/alumni/invitation/\S+/)", mail.outbox[-1].body).group(1))
    audit.visit(url("login"))
    axe_page.get_by_label("Email address").fill("nobody@example.com")
    axe_page.get_by_label("Password").fill("wrong")
    audit.submit(axe_page.get_by_role("button", name="Sign in"))
    audit.check("sign-in refused")
    for _ in range(4):  # the fifth wrong password in a row pauses sign-in (django-axes); last: it locks us out
        axe_page.get_by_label("Password").fill("wrong")
        axe_page.get_by_role("button", name="Sign in").click()
    axe_page.get_by_role("heading", name="Sign-in paused").wait_for()
    audit.check("sign-in paused")


def drill_down_and_trend_pages(audit, axe_page, d):
    """Issue 23: the lists a report's figures open (with the filters they set) and the reports with a trend (HR)
    and without (a manager); the check-ins report with its 14-day column and a chart of zeros drawn."""
    audit.sign_in("hr@example.com")
    for path in [
        url("tours:index") + "?focus=overdue",
        url("tours:index") + "?focus=at_risk&ending_within=90&team=none&manager=none",
        url("tours:index") + "?focus=ended&outcome=successor&ended_from=2025-01-01&ended_to=2025-03-31",
        url("people:list") + "?status=active&tour=none",
        url("people:list") + "?status=&boomerang=on",
        url("networks:index") + "?rated=yes&acted_on=yes",
        url("alumni:roster") + "?fresh=on",
        url("alumni:referrals") + "?status=hired",
        url("tours:report_coverage"),  # with its trend: chart, table, change, CSV link
        url("tours:report_checkins") + "?format=nonsense",
    ]:
        audit.visit(path)
    audit.sign_in("manager@example.com")
    for path in [
        url("tours:report_checkins"),
        url("tours:report_coverage"),
        url("alumni:report"),
        url("tours:index") + f"?focus=in_force&below={d.marcus.employee_number}",
        url("people:list") + f"?status=active&tour=covered&below={d.marcus.employee_number}",
    ]:
        audit.visit(path)


PAGES = [
    hr_people_pages,
    hr_tour_pages,
    hr_network_alumni_and_report_pages,
    hr_interactions,
    manager_pages,
    employee_pages,
    alumna_pages,
    anonymous_pages,
    drill_down_and_trend_pages,
]
