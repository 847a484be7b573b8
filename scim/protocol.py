"""SCIM 2.0 (RFC 7643, RFC 7644) as this server speaks it: schema URNs, error bodies, responses, and the
discovery documents (ServiceProviderConfig, ResourceTypes, Schemas) an identity provider reads first."""

import json

from django.http import HttpResponse
from django.urls import reverse

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

CONTENT_TYPE = "application/scim+json"
MAX_RESULTS = 200  # a page of Users or Groups; Okta asks for 100, Entra for fewer


class ScimError(Exception):
    """A request refused with a SCIM error body (RFC 7644 §3.12). `scim_type` is one of the RFC's keywords
    (invalidFilter, invalidValue, invalidSyntax, invalidPath, noTarget, uniqueness, mutability, tooMany)."""

    def __init__(self, status, detail, scim_type=None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def respond(body, status=200, location=None):
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def error_response(error):
    body = {"schemas": [ERROR], "status": str(error.status), "detail": error.detail}
    if error.scim_type:
        body["scimType"] = error.scim_type
    response = respond(body, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def list_response(resources, *, total, start):
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def location(request, name, *args):
    return request.build_absolute_uri(reverse(f"scim:{name}", args=args))


def service_provider_config(request):
    return {
        "schemas": [SERVICE_PROVIDER_CONFIG],
        "documentationUri": request.build_absolute_uri("/") + "#scim-provisioning",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "An Alliance service token with the scim scope (manage.py api_token create --scopes "
                "scim --service), sent as Authorization: Bearer <token>.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": location(request, "config")},
    }


def resource_types(request):
    user = {
        "schemas": [RESOURCE_TYPE],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person of the company (an employee; departed people stay, inactive).",
        "schema": CORE_USER,
        "schemaExtensions": [{"schema": ENTERPRISE_USER, "required": False}],
        "meta": {"resourceType": "ResourceType", "location": location(request, "resource_type", "User")},
    }
    group = {
        "schemas": [RESOURCE_TYPE],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "A department (team), read-only: membership follows each person's department.",
        "schema": GROUP,
        "meta": {"resourceType": "ResourceType", "location": location(request, "resource_type", "Group")},
    }
    return [user, group]


def _attr(name, kind="string", *, required=False, mutability="readWrite", unique="none", multi=False, sub=None,
          case_exact=False, description=""):  # fmt: skip
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": unique,
    }
    if sub:
        attribute["subAttributes"] = sub
    return attribute


def schemas(request):
    """The attributes this server reads and returns; anything else an identity provider sends is ignored."""
    name = [
        _attr("givenName", required=True, description="First name."),
        _attr("familyName", required=True, description="Last name."),
        _attr("formatted", mutability="readOnly", description="The full name."),
    ]
    email = [_attr("value"), _attr("type"), _attr("primary", "boolean")]
    reference = [_attr("value"), _attr("display", mutability="readOnly"), _attr("$ref", "reference")]
    user = [
        _attr("userName", required=True, unique="server", description="The sign-in email address."),
        _attr("name", "complex", required=True, sub=name),
        _attr("displayName", mutability="readOnly"),
        _attr("title", description="Job title."),
        _attr("emails", "complex", multi=True, sub=email, description="The work email: the same as userName."),
        _attr("active", "boolean", description="false: the departure today (a future hire: the hire withdrawn)."),
        _attr("groups", "complex", multi=True, mutability="readOnly", sub=reference, description="The department."),
    ]
    enterprise = [
        _attr("employeeNumber", unique="server"),
        _attr("department", description="The team; a new name creates the team."),
        _attr("manager", "complex", sub=reference, description="value: the manager's SCIM id or externalId."),
    ]
    group = [
        _attr("displayName", required=True, mutability="readOnly", unique="server"),
        _attr("members", "complex", multi=True, mutability="readOnly", sub=reference),
    ]
    docs = [(CORE_USER, "User", user), (ENTERPRISE_USER, "EnterpriseUser", enterprise), (GROUP, "Group", group)]
    return [
        {
            "schemas": [SCHEMA],
            "id": urn,
            "name": label,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": location(request, "schema", urn)},
        }
        for urn, label, attributes in docs
    ]
