"""The request shapes Okta and Microsoft Entra send, and a SCIM test client holding a bearer token."""

import json

SCIM_JSON = "application/scim+json"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimClient:
    """Sends SCIM requests with a bearer token; `.call(...)` returns (status, parsed body or None)."""

    def __init__(self, client, raw):
        self.client, self.raw = client, raw

    def call(self, method, path, body=None, *, token=True, content_type=SCIM_JSON):
        headers = {"Authorization": f"Bearer {self.raw}"} if token else {}
        data = json.dumps(body) if body is not None else None
        kwargs = {"content_type": content_type} if data is not None else {}
        url = path if path.startswith("/") else "/scim/v2/" + path
        response = getattr(self.client, method.lower())(url, data, headers=headers, **kwargs)
        self.response = response
        parsed = json.loads(response.content) if response.content else None
        return response.status_code, parsed

    def search(self, path, **params):
        """GET with query parameters encoded as a client would (filter=userName eq "…")."""
        response = self.client.get("/scim/v2/" + path, params, headers={"Authorization": f"Bearer {self.raw}"})
        self.response = response
        return response.status_code, response.json()

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, body, **kwargs):
        return self.call("POST", path, body, **kwargs)

    def put(self, path, body, **kwargs):
        return self.call("PUT", path, body, **kwargs)

    def patch(self, path, body, **kwargs):
        return self.call("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)


def okta_user(email="ada.lovelace@example.com", given="Ada", family="Lovelace", **extra):
    """The body Okta's SCIM 2.0 integration POSTs (and PUTs, with the id) for a user assigned to the app."""
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": True, "value": email, "type": "work"}],
        "displayName": f"{given} {family}",
        "locale": "en-US",
        "externalId": "00u1abcdEFGH2345",
        "groups": [],
        "password": "tEst-Pa55word!",
        "active": True,
        **extra,
    }


def entra_user(email="grace.hopper@example.com", given="Grace", family="Hopper", **extra):
    """The body Microsoft Entra's provisioning service POSTs (its SCIM 2.0 protocol compliance page)."""
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": email,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": email}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": f"{given} {family}", "familyName": family, "givenName": given},
        "roles": [],
        **extra,
    }


def patch(*operations):
    return {"schemas": [PATCH_OP], "Operations": list(operations)}
