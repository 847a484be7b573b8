"""SCIM Users and Groups in our terms: a person's SCIM resource, the fields a request asks to change, PATCH
operations and list filters, as Okta and Microsoft Entra send them.

A person is read as a small dict of *fields* (`fields_of`): the values SCIM may change. A POST, PUT or PATCH
is turned into the fields it asks for (`assign`), and scim.services writes the difference through the people
services. Attributes this server does not keep (phone numbers, addresses, locale, roles, Entra's own
extension) are ignored, as the Schemas endpoint lists what is kept. Attribute names are case-insensitive
(RFC 7643 §2.1); Entra sends operation names capitalised ("Replace") and booleans as strings ("False")."""

import json
import re

from django.db.models import Q

from alliance.models import Employee
from scim.protocol import CORE_USER, ENTERPRISE_USER, GROUP, ScimError, location

EDITABLE = ("first_name", "last_name", "email", "employee_number", "job_title", "department", "manager")


def fields_of(employee):
    """What SCIM may change about this person, as it stands."""
    return {
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "email": employee.user.email,
        "employee_number": employee.employee_number,
        "job_title": employee.job_title,
        "department": employee.team.name if employee.team_id else None,
        "manager": employee.manager,
        "external_id": employee.external_id,
        "active": not employee.has_left(),
    }


def comparable(fields):
    """Fields compared as the database would: the manager by id, the department by name whatever its case."""
    out = dict(fields)
    out["manager"] = getattr(fields["manager"], "pk", None)
    out["department"] = (fields["department"] or "").casefold() or None
    return out


def user_resource(request, employee):
    """One person as a SCIM User with the enterprise extension. Needs user, team and manager loaded."""
    enterprise = {"employeeNumber": employee.employee_number}
    if employee.team_id:
        enterprise["department"] = employee.team.name
    if employee.manager_id:
        enterprise["manager"] = {
            "value": str(employee.manager_id),
            "displayName": employee.manager.full_name,
            "$ref": location(request, "user", employee.manager_id),
        }
    resource = {
        "schemas": [CORE_USER, ENTERPRISE_USER],
        "id": str(employee.pk),
        "userName": employee.user.email,
        "name": {
            "givenName": employee.first_name,
            "familyName": employee.last_name,
            "formatted": employee.full_name,
        },
        "displayName": employee.full_name,
        "title": employee.job_title,
        "emails": [{"value": employee.user.email, "type": "work", "primary": True}],
        "active": not employee.has_left(),
        "groups": [],
        ENTERPRISE_USER: enterprise,
        "meta": {
            "resourceType": "User",
            "created": employee.created_at.isoformat(),
            "lastModified": employee.updated_at.isoformat(),
            "location": location(request, "user", employee.pk),
        },
    }
    if employee.external_id is not None:
        resource["externalId"] = employee.external_id
    if employee.team_id:
        resource["groups"] = [
            {
                "value": str(employee.team_id),
                "display": employee.team.name,
                "$ref": location(request, "group", employee.team_id),
            }
        ]
    return resource


def group_resource(request, team, members=None):
    """A department as a read-only SCIM Group; `members` (employed or starting people) unless excluded."""
    resource = {
        "schemas": [GROUP],
        "id": str(team.pk),
        "displayName": team.name,
        "meta": {"resourceType": "Group", "location": location(request, "group", team.pk)},
    }
    if members is not None:
        resource["members"] = [
            {"value": str(e.pk), "display": e.full_name, "$ref": location(request, "user", e.pk)} for e in members
        ]
    return resource


# ---- reading what a request asks for -------------------------------------------------------------------------

ENTERPRISE_PREFIX = ENTERPRISE_USER.lower() + ":"
CORE_PREFIX = CORE_USER.lower() + ":"
EMAIL_FILTER = re.compile(r'^emails\[\s*(?:type\s+eq\s+"(?P<type>[^"]*)"|primary\s+eq\s+true)\s*\](?P<sub>\.value)?$')
# Read-only, derived, or not kept here: accepted and ignored, so an identity provider's full profile goes through.
IGNORED = {"schemas", "id", "meta", "displayname", "groups", "password", "name.formatted"}


def to_bool(value, what="active"):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # Entra sends "False" (a documented quirk)
    raise ScimError(400, f"{what} must be true or false, not {json.dumps(value)}.", "invalidValue")


def _text(value, what, *, required=False, limit=255):
    if value is None or value == "":
        if required:
            raise ScimError(400, f"{what} cannot be empty.", "invalidValue")
        return ""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        value = value[0].get("value")  # [{"value": "…"}], as some clients wrap a single value
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ScimError(400, f"{what} must be a string, not {json.dumps(value)}.", "invalidValue")
    value = " ".join(str(value).split())
    if "\x00" in value:  # PostgreSQL cannot store it; the pages' forms refuse it too
        raise ScimError(400, f"{what} cannot contain a NUL character.", "invalidValue")
    if len(value) > limit:
        raise ScimError(400, f"{what} can be at most {limit} characters.", "invalidValue")
    return value


def _work_email(value):
    """The work (or primary, or only) address of an `emails` list."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ScimError(400, "emails must be a list of {value, type, primary}.", "invalidValue")
    for pick in (lambda e: e.get("primary") in (True, "true", "True"), lambda e: e.get("type") == "work", bool):
        chosen = [e for e in value if pick(e) and e.get("value")]
        if chosen:
            return chosen[0]["value"]
    return None


def _manager_ref(value):
    """enterprise manager: Entra sends a string (the id) or {"value": …}; Okta {"value": …}. None removes."""
    if isinstance(value, dict):
        value = value.get("value")
    if value in (None, ""):
        return None
    return _text(value, "manager.value")


def assign(asked, path, value, *, remove=False):
    """Record in `asked` what setting `path` to `value` asks for (removing it when `remove`)."""
    key = path.strip().lower()
    if key == ENTERPRISE_USER.lower():
        if remove:
            asked.update(department=None, manager_ref=None)
            return
        if not isinstance(value, dict):
            raise ScimError(400, "The enterprise extension's value must be an object.", "invalidValue")
        for sub, sub_value in value.items():
            assign(asked, sub, sub_value)
        return
    key = key.removeprefix(ENTERPRISE_PREFIX).removeprefix(CORE_PREFIX)
    value = None if remove else value
    if key in IGNORED or (remove and key == "active"):
        return
    if key == "active":
        asked["active"] = to_bool(value)
    elif key == "username":
        asked["email"] = _text(value, "userName", required=True).lower()
    elif key == "externalid":
        asked["external_id"] = _text(value, "externalId") or None
    elif key == "title":
        asked["job_title"] = _text(value, "title", limit=150)
    elif key == "name":
        if not remove and not isinstance(value, dict):
            raise ScimError(400, "name must be an object with givenName and familyName.", "invalidValue")
        for sub, sub_value in (value or {}).items():
            assign(asked, f"name.{sub}", sub_value)
    elif key == "name.givenname":
        asked["first_name"] = _text(value, "name.givenName", required=True, limit=100)
    elif key == "name.familyname":
        asked["last_name"] = _text(value, "name.familyName", required=True, limit=100)
    elif key == "emails" and not remove:
        email = _work_email(value)
        if email:
            asked["work_email"] = _text(email, "emails.value").lower()
    elif key == "emails.value" or EMAIL_FILTER.match(key):
        if not remove:
            email = _work_email(value) if isinstance(value, list | dict) else value
            asked["work_email"] = _text(email, "emails.value").lower()
    elif key == "employeenumber":
        asked["employee_number"] = _text(value, "employeeNumber", required=not remove, limit=30) or None
    elif key == "department":
        asked["department"] = _text(value, "department", limit=100) or None
    elif key in ("manager", "manager.value"):
        asked["manager_ref"] = _manager_ref(value)


def asked_by_resource(body):
    """What a POST or PUT body asks for: every attribute it carries (an attribute left out stays as it is)."""
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    asked = {}
    for key, value in body.items():
        assign(asked, key, value)
    return asked


PATH_OPS = {"add", "replace", "remove"}


def asked_by_patch(body):
    """What a PatchOp body asks for, operation by operation, in order (a later one wins)."""
    operations = body.get("Operations") if isinstance(body, dict) else None
    if operations is None and isinstance(body, dict):
        operations = body.get("operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH needs a non-empty Operations list.", "invalidSyntax")
    asked = {}
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()  # Entra: "Replace", "Add", "Remove"
        path, value = operation.get("path"), operation.get("value")
        if op not in PATH_OPS:
            name = json.dumps(operation.get("op"))
            raise ScimError(400, f"Unknown operation {name}: use add, replace or remove.", "invalidSyntax")
        if path is not None and not isinstance(path, str):
            raise ScimError(400, "path must be a string.", "invalidPath")
        if op == "remove":
            if not path:
                raise ScimError(400, "A remove operation needs a path.", "noTarget")
            assign(asked, path, None, remove=True)
        elif path:
            assign(asked, path, value)
        elif isinstance(value, dict):
            # Okta: {"op": "replace", "value": {"active": false}}; Entra: keys such as "name.givenName".
            for key, item in value.items():
                assign(asked, key, item)
        else:
            raise ScimError(400, "An operation without a path needs an object value.", "invalidValue")
    return asked


# ---- filters -------------------------------------------------------------------------------------------------

TERM = re.compile(
    r'\s*(?P<attr>emails\[\s*type\s+eq\s+"[^"]*"\s*\]\.value|[a-z][\w.:-]*)\s+(?P<op>[a-z]{2})\s+'
    r'(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+)\s*(?P<more>and\s+|$)',
    re.IGNORECASE,
)


def parse_filter(text):
    """`attr eq value`, joined by `and`: the filters Okta and Entra send. Returns [(attr, value)]."""
    text = (text or "").strip()
    if len(text) > 1000:
        raise ScimError(400, "The filter is too long.", "invalidFilter")
    terms, position = [], 0
    while position < len(text):
        match = TERM.match(text, position)
        if match is None:
            detail = f'Cannot read the filter {json.dumps(text)}: use attribute eq "value", joined by and.'
            raise ScimError(400, detail, "invalidFilter")
        if match["op"].lower() != "eq":
            raise ScimError(400, f"Only the eq operator is supported, not {match['op']}.", "invalidFilter")
        try:
            value = json.loads(match["value"])
        except ValueError:  # a control character inside the quotes
            raise ScimError(400, "A filter value holds a character it cannot.", "invalidFilter") from None
        if isinstance(value, str) and ("\x00" in value or len(value) > 300):
            raise ScimError(400, "A filter value cannot hold a NUL character or be that long.", "invalidFilter")
        terms.append((match["attr"].lower(), value))
        position = match.end()
        if not match["more"] and position < len(text):
            raise ScimError(400, "Cannot read the end of the filter.", "invalidFilter")
    return terms


def user_filter(text):
    """The people a Users filter asks for, as a Q (the access helper's queryset is narrowed by it)."""
    q = Q()
    for attr, value in parse_filter(text):
        key = attr.removeprefix(ENTERPRISE_PREFIX).removeprefix(CORE_PREFIX)
        if key == "active":
            active = Employee.objects.not_left().values("pk")
            q &= Q(pk__in=active) if to_bool(value) else ~Q(pk__in=active)
            continue
        if not isinstance(value, str):
            raise ScimError(400, f"{attr} is compared with a string.", "invalidFilter")
        if key in ("username", "emails", "emails.value") or EMAIL_FILTER.match(key):
            q &= Q(user__email=value.strip().lower())  # stored lowercase: the unique index answers
        elif key == "externalid":
            q &= Q(external_id=value)
        elif key == "id":
            q &= Q(pk=int(value)) if value.isascii() and value.isdigit() and len(value) < 19 else Q(pk__in=[])
        elif key == "employeenumber":
            q &= Q(employee_number=value)
        else:
            raise ScimError(400, f"Cannot filter Users by {attr}.", "invalidFilter")
    return q


def group_filter(text):
    q = Q()
    for attr, value in parse_filter(text):
        if attr == "displayname" and isinstance(value, str):
            q &= Q(name__iexact=value)
        elif attr == "id" and isinstance(value, str):
            q &= Q(pk=int(value)) if value.isascii() and value.isdigit() and len(value) < 19 else Q(pk__in=[])
        else:
            raise ScimError(400, f"Cannot filter Groups by {attr}.", "invalidFilter")
    return q
