"""The site by keyboard alone, under the real Content Security Policy: the skip link is the first stop
and moves focus to the content, the menus open and close with the keyboard, and a confirmation page
is answered with Tab and Enter."""

import re

import pytest

from tests.factories import PASSWORD, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    """What has the focus: its tag, id, and text (or label, for an icon)."""
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, id: e.id,"
        " text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim()}; }"
    )


def tab_to(page, text, limit=30):
    """Press Tab until the element with this text has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page)["text"] == text:
            return
    raise AssertionError(f"{limit} Tabs never reached {text!r}")


def sign_in_by_keyboard(page, email):
    page.goto("/accounts/login/")
    assert focused(page)["id"] == "id_username"  # the email field has the focus on arrival
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("^Hello, ")).wait_for()


def test_skip_link_menu_and_sign_out(page, cast):
    sign_in_by_keyboard(page, "report@test.example")

    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    box = page.get_by_role("link", name="Skip to main content").bounding_box()
    assert box["width"] > 50 and box["height"] > 20 and box["y"] >= 0  # shown while it has the focus
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")  # next stop is in the content

    # The user menu: Enter opens it, arrows move through it, Escape closes it back onto its button.
    page.goto("/")
    tab_to(page, "Rita Ortiz")
    menu = page.locator(".dropdown-menu")
    assert not menu.is_visible()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    assert page.get_by_role("button", name="Rita Ortiz").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert focused(page)["text"] == "My page"
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert focused(page)["text"] == "Rita Ortiz"
    page.keyboard.press("Enter")
    for _ in range(5):
        page.keyboard.press("ArrowDown")
        if focused(page)["text"] == "Sign out":
            break
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Sign in").wait_for()


def test_collapsed_navigation_opens_by_keyboard(page, cast):
    page.set_viewport_size({"width": 375, "height": 700})
    sign_in_by_keyboard(page, "manager@test.example")
    tours = page.get_by_role("link", name="Tours", exact=True)
    assert not tours.is_visible()
    tab_to(page, "Toggle navigation")
    page.keyboard.press("Enter")
    tours.wait_for()
    tab_to(page, "Tours")
    ring = page.evaluate("getComputedStyle(document.activeElement).outline")
    assert "solid" in ring and "rgb(255, 255, 255)" in ring  # a white ring on the dark bar
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tours of duty").wait_for()


def test_confirmation_page_by_keyboard(page, cast):
    from tours.models import Tour

    draft = make_tour(cast.report_report, state="draft")
    sign_in_by_keyboard(page, "rr@test.example")
    page.goto(f"/tours/{draft.pk}/delete/")
    tab_to(page, "Delete the draft")
    page.keyboard.press("Enter")
    page.get_by_role("status").wait_for()
    assert not Tour.objects.filter(pk=draft.pk).exists()
