"""SCIM 2.0 endpoints at /scim/v2/, for an identity provider (Okta, Microsoft Entra) holding an HR service token
with the `scim` scope. Token only: no session, no cookie (so no CSRF), and an HR person's browser session is not
enough (401). Every answer is `application/scim+json`; every refusal a SCIM error body.

Who: the token's HR account, through the same access helpers as the pages (alliance.access): Users are
Employee.objects.visible_to(that account), a write needs HR (get_employee_for_user(write=True)). Writes go
through scim.services, which uses the people and alumni services."""

import json
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from alliance import access, tokens
from alliance.models import Employee, Team
from alliance.roles import roles_of
from alliance.security import client_ip
from scim import protocol, resources, services
from scim.protocol import ScimError


def endpoint(*methods):
    """A SCIM endpoint: these methods only (405 otherwise), a live `scim` token (401 without one, 403 without the
    scope), errors as SCIM error bodies. The request then acts as the token's account (request.user), so the
    audit trail names it on every history row the request writes."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here; use {', '.join(methods)}.")
                raw = tokens.bearer(request.headers.get("Authorization"))
                if raw is None:
                    raise ScimError(401, "SCIM needs an Alliance service token with the scim scope: "
                                         "Authorization: Bearer <token>.")  # fmt: skip
                try:
                    token = tokens.authenticate(
                        raw, scope="scim", method=request.method, path=request.path, ip=client_ip(request)
                    )
                except tokens.Refused as refused:
                    raise ScimError(refused.status, str(refused)) from None
                request.user = token.user
                request.roles = roles_of(token.user)
                return view(request, *args, **kwargs)
            except ScimError as error:
                return protocol.error_response(error)
            except Http404:
                return protocol.error_response(ScimError(404, "No such resource."))
            except PermissionDenied as denied:
                return protocol.error_response(ScimError(403, str(denied) or "Not allowed."))
            except IntegrityError:  # the same userName or number written by a request that committed meanwhile
                detail = "Another request changed these people meanwhile (a value is now taken): read and try again."
                return protocol.error_response(ScimError(409, detail, "uniqueness"))

        return wrapped

    return decorator


def _body(request):
    try:
        return json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nesting thousands deep
        raise ScimError(400, "The body is not JSON (UTF-8).", "invalidSyntax") from None


def _page(request):
    """startIndex (1-based) and count, as RFC 7644 §3.4.2.4 reads them: below 1 is 1, a negative count is 0."""

    def number(name, default):
        try:
            return int(request.GET.get(name, default))
        except ValueError:
            raise ScimError(400, f"{name} must be a whole number.", "invalidValue") from None

    start = max(1, min(number("startIndex", 1), 10**9))
    count = max(0, min(number("count", protocol.MAX_RESULTS), protocol.MAX_RESULTS))
    return start, count


def _pk(pk):
    if not (pk.isascii() and pk.isdigit()) or len(pk) > 18:
        raise Http404
    return int(pk)


def _user(request, pk, *, write=False):
    """The person at Users/<pk>: 404 for an id the token's account may not see, and for an erased person (the
    record stays for the reports, as "Former employee #N"; the SCIM resource is gone, and nothing of it changes)."""
    employee = access.get_employee_for_user(request.user, _pk(pk), write=write)
    if employee.is_erased:
        raise Http404
    return employee


def _fresh(employee):
    return Employee.objects.with_related().get(pk=employee.pk)


@endpoint("GET")
def service_provider_config(request):
    return protocol.respond(protocol.service_provider_config(request))


@endpoint("GET")
def resource_types(request, name=None):
    types = protocol.resource_types(request)
    if name is None:
        return protocol.respond(protocol.list_response(types, total=len(types), start=1))
    return protocol.respond(next((t for t in types if t["id"] == name), None) or _missing())


@endpoint("GET")
def schemas(request, urn=None):
    docs = protocol.schemas(request)
    if urn is None:
        return protocol.respond(protocol.list_response(docs, total=len(docs), start=1))
    return protocol.respond(next((d for d in docs if d["id"].lower() == urn.lower()), None) or _missing())


def _missing():
    raise Http404


@endpoint("GET", "POST")
def users(request):
    """GET: the people the token's account sees, erased people apart, filtered and paged (3 queries past the
    token's, however many).
    POST: a new person (409 uniqueness when the userName, employeeNumber or externalId is taken)."""
    if request.method == "POST":
        asked = resources.asked_by_resource(_body(request))
        employee, _ = services.user_save(employee=None, asked=asked, by=request.user)
        location = protocol.location(request, "user", employee.pk)
        return protocol.respond(resources.user_resource(request, _fresh(employee)), status=201, location=location)
    start, count = _page(request)
    people = Employee.objects.visible_to(request.user).not_erased().with_related()
    if request.GET.get("filter"):
        people = people.filter(resources.user_filter(request.GET["filter"]))
    people = people.order_by("pk")
    total = people.count()
    page = list(people[start - 1 : start - 1 + count]) if count else []
    found = [resources.user_resource(request, employee) for employee in page]
    return protocol.respond(protocol.list_response(found, total=total, start=start))


@endpoint("GET", "PUT", "PATCH", "DELETE")
def user(request, pk):
    """GET one person; PUT (the attributes sent; those left out stay), PATCH (add/replace/remove, Okta's and
    Entra's shapes), DELETE (the departure, as active false: the person and their history stay, inactive)."""
    if request.method == "GET":
        return protocol.respond(resources.user_resource(request, _user(request, pk)))
    employee = _user(request, pk, write=True)
    if request.method == "DELETE":
        services.user_save(employee=employee, asked={"active": False}, by=request.user)
        return HttpResponse(status=204)
    body = _body(request)
    asked = resources.asked_by_resource(body) if request.method == "PUT" else resources.asked_by_patch(body)
    employee, _ = services.user_save(employee=employee, asked=asked, by=request.user)
    return protocol.respond(resources.user_resource(request, _fresh(employee)))


def _teams(request):
    access.require_hr(request.user)  # departments are HR's to list (a scim token is HR's anyway)
    teams = Team.objects.order_by("pk")
    if "members" in request.GET.get("excludedAttributes", "").lower():
        return teams, False
    members = Employee.objects.not_left().only("pk", "first_name", "last_name", "team_id").order_by("pk")
    return teams.prefetch_related(Prefetch("members", queryset=members, to_attr="current_members")), True


@endpoint("GET", "POST")
def groups(request):
    """Departments (teams), read-only: a person's department is set on the User (enterprise department)."""
    if request.method == "POST":
        raise ScimError(501, "Groups are the company's departments: set a User's department instead.")
    start, count = _page(request)
    teams, with_members = _teams(request)
    if request.GET.get("filter"):
        teams = teams.filter(resources.group_filter(request.GET["filter"]))
    total = teams.count()
    page = list(teams[start - 1 : start - 1 + count]) if count else []
    found = [resources.group_resource(request, t, t.current_members if with_members else None) for t in page]
    return protocol.respond(protocol.list_response(found, total=total, start=start))


@endpoint("GET", "PUT", "PATCH", "DELETE")
def group(request, pk):
    if request.method != "GET":
        raise ScimError(501, "Groups are the company's departments: set a User's department instead.")
    teams, with_members = _teams(request)
    team = teams.filter(pk=_pk(pk)).first() or _missing()
    return protocol.respond(resources.group_resource(request, team, team.current_members if with_members else None))
