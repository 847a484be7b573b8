"""A SCIM client: the test client with an HR service token holding the scim scope, as Okta or Entra would hold;
and a real webhook receiver (tests/webhooks/receiver) for what a deactivation tells HR's other systems."""

import pytest

from alliance import tokens
from tests.scim.shapes import ScimClient


@pytest.fixture
def scim(client, cast):
    _, raw = tokens.issue(cast.hr.user, name="Okta SCIM", scopes=["scim"], kind="service")
    return ScimClient(client, raw)
