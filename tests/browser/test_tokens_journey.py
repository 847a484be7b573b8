"""An employee makes an API token on their account page, copies it, uses it, and revokes it."""

import pytest

from alliance import tokens
from alliance.models import ApiToken
from tests.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_makes_uses_and_revokes_a_token(page, cast):
    sign_in(page, "report@test.example", PASSWORD)
    page.get_by_role("button", name="Rita Ortiz").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("heading", name="Your account").wait_for()
    page.get_by_text("You have no API tokens.").wait_for()
    page.get_by_label("Name").fill("Weekly export")
    page.get_by_label("Write: what you can change").check()
    page.get_by_label("Lasts (days)").fill("30")
    page.get_by_role("button", name="Make the token").click()
    raw = page.get_by_label("Your new token").input_value()
    token = ApiToken.objects.get(user=cast.report.user)
    assert (token.name, token.scopes, token.digest) == ("Weekly export", "read,write", tokens.digest(raw))
    assert tokens.authenticate(raw, scope="write").pk == token.pk

    page.goto("/account/")
    assert page.get_by_label("Your new token").count() == 0
    assert page.get_by_role("cell", name="Never").count() == 0  # it was used above
    page.get_by_role("link", name="Revoke Weekly export").click()
    page.get_by_role("button", name="Revoke the token").click()
    page.get_by_text("The token “Weekly export” is revoked").wait_for()
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(tokens.Refused):
        tokens.authenticate(raw, scope="read")
