"""One URL for every URL pattern of the project, built from the objects of the world (tests/security/world.py):
who requests each (ROLE) and the path arguments of each pattern that takes some (ARGS)."""

import re

from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance import tokens

# --- Every URL pattern -------------------------------------------------------------------------------

# Who requests each URL: one allowed to use it (HR unless said otherwise).
ROLE = {
    "notification_open": "report_report",
    "tours:sign": "report_report",
    "tours:check_in": "report",  # the manager side has not checked in yet
    "networks:edit": "report_report",
    "networks:delete": "report_report",
    "alumni:me": "alumnus",
    "alumni:me_edit": "alumnus",
    "alumni:me_export": "alumnus",
    "alumni:me_delete": "alumnus",
    "alumni:refer": "alumnus",
    "alumni:accept": "anonymous",
    "calendars:feed": "anonymous",
    "activate": "anonymous",
    "password_reset": "anonymous",
    "password_reset_done": "anonymous",
    "password_reset_confirm": "anonymous",
    "password_reset_complete": "anonymous",
    "login": "anonymous",
}

# The path arguments of each named pattern that takes some.
ARGS = {
    "notification_open": lambda w: {"pk": w.notification.pk},
    "people:detail": lambda w: {"pk": w.cast.report_report.pk},
    "people:edit": lambda w: {"pk": w.cast.report_report.pk},
    "people:undo_departure": lambda w: {"pk": w.cast.alumnus.pk},
    "tours:programme_edit": lambda w: {"pk": w.programme.pk},
    "tours:programme_delete": lambda w: {"pk": w.programme.pk},
    "tours:delete": lambda w: {"pk": w.successor.pk},
    "networks:edit": lambda w: {"pk": w.unrated.pk},
    "networks:delete": lambda w: {"pk": w.unrated.pk},
    "networks:detail": lambda w: {"pk": w.rated.pk},
    "networks:rate": lambda w: {"pk": w.rated.pk},
    "networks:event": lambda w: {"pk": w.event.pk},
    "networks:event_edit": lambda w: {"pk": w.event.pk},
    "networks:event_attend": lambda w: {"pk": w.event.pk},
    "alumni:referral_status": lambda w: {"pk": w.referral.pk},
    "alumni:leave": lambda w: {"pk": w.cast.report_report.pk},
    "alumni:accept": lambda w: {"token": w.token},
    "activate": lambda w: {"token": w.link_token},
    "people:import_status": lambda w: {"pk": w.import_job.pk},
    "people:import_send_links": lambda w: {"pk": w.import_job.pk},
    "people:import_retry": lambda w: {"pk": w.import_job.pk},
    "people:send_link": lambda w: {"pk": w.cast.other.pk},
    "alumni:detail": lambda w: {"pk": w.profile.pk},
    "alumni:invite": lambda w: {"pk": w.profile.pk},
    "alumni:revoke": lambda w: {"pk": w.profile.pk, "invitation_pk": w.invitation.pk},
    "alumni:rehire": lambda w: {"pk": w.profile.pk},
    "password_reset_confirm": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.cast.other.user.pk)),
        "token": default_token_generator.make_token(w.cast.other.user),
    },
    "token_revoke": lambda w: {"pk": _token(w).pk},
    "signin:reset": lambda w: {"pk": w.cast.other.pk},
    "mfa_edit_webauthn": lambda w: {"pk": w.passkey.pk},
    "mfa_remove_webauthn": lambda w: {"pk": w.passkey.pk},
    "openid_connect_login": lambda w: {"provider_id": "sso"},
    "openid_connect_callback": lambda w: {"provider_id": "sso"},
    "admin:app_list": lambda w: {"app_label": "tours"},
    "webhooks:detail": lambda w: {"pk": w.endpoint.pk},
    "webhooks:toggle": lambda w: {"pk": w.endpoint.pk},
    "webhooks:delete": lambda w: {"pk": w.endpoint.pk},
    "calendars:feed": lambda w: {"secret": w.feed.secret},
    "calendars:tour": lambda w: {"pk": w.tour.pk},
    "calendars:event": lambda w: {"pk": w.event.pk},
    "admin:view_on_site": lambda w: _view_on_site(w),
    "admin:auth_user_password_change": lambda w: {"id": w.cast.other.user.pk},
}
# SCIM (token only: tests/scim/ calls them with a token; here a session must be refused).
ARGS["scim:resource_type"] = lambda w: {"name": "User"}
ARGS["scim:schema"] = lambda w: {"urn": "urn:ietf:params:scim:schemas:core:2.0:User"}
ARGS["scim:user"] = lambda w: {"pk": str(w.cast.other.pk)}
ARGS["scim:group"] = lambda w: {"pk": str(w.cast.other.team_id)}
# The REST API (config/api.py): the same objects as the pages.
ARGS.update({
    "api:person-detail": lambda w: {"pk": w.cast.report_report.pk},
    "api:tour-detail": lambda w: {"pk": w.tour.pk},
    "api:checkin-detail": lambda w: {"pk": w.tour.checkins.order_by("pk").first().pk},
    "api:insight-detail": lambda w: {"pk": w.rated.pk},
    "api:alumnus-detail": lambda w: {"pk": w.profile.pk},
    "api:report-detail": lambda w: {"slug": "tours-coverage"},
})  # fmt: skip
ROLE["api:alumnus-me"] = "alumnus"
for _name in ("detail", "print", "edit", "propose", "sign", "comment", "compare", "check_in", "plan_next", "end"):
    ARGS[f"tours:{_name}"] = lambda w: {"pk": w.tour.pk}
for _name in ("workspace", "point_add", "note_save", "we_met"):
    ARGS[f"meetings:{_name}"] = lambda w: {"pk": w.tour.pk}
for _name in ("point_cover", "point_delete"):
    ARGS[f"meetings:{_name}"] = lambda w: {"pk": w.point.pk}


def _token(w):
    """An API token of HR's (the role that visits the URL), made once per world."""
    if not hasattr(w, "api_token"):
        w.api_token, _ = tokens.issue(w.cast.hr.user, name="world", scopes=["read"])
    return w.api_token


def _view_on_site(w):
    from django.contrib.contenttypes.models import ContentType

    from alliance.models import Employee

    return {"content_type_id": ContentType.objects.get_for_model(Employee).pk, "object_id": w.cast.report.pk}


def patterns(resolvers=None, prefix="", namespace=None):
    """(route, name) for every URL pattern of the project, admin included; name is None for unnamed ones."""
    for p in get_resolver().url_patterns if resolvers is None else resolvers:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name


def _admin_object(route):
    """The first object of the model an admin route names, e.g. admin/tours/tour/<path:object_id>/change/."""
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == match.groups())
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the world has no {model.__name__} for {route}"
    return obj.pk


def urls(world):
    """[(label, path, role)] for every URL pattern. Raises if a pattern with arguments has no entry in ARGS."""
    result = []
    for route, name in patterns():
        role = "hr" if name is None or name.startswith("admin:") else ROLE.get(name, "hr")
        if name is None and route == "admin/(?P<url>.*)$":
            result.append(("admin catch-all", "/admin/no-such-page/", role))
        elif name is None and route.startswith("admin/"):  # ModelAdmin's <object_id>/ redirect to the change page
            result.append((route, "/" + route.replace("<path:object_id>", str(_admin_object(route))), role))
        elif name is None:
            raise AssertionError(f"an unnamed URL pattern: {route}")
        elif name.startswith("admin:") and "<path:object_id>" in route and name != "admin:view_on_site":
            result.append((name, reverse(name, kwargs={"object_id": _admin_object(route)}), role))
        elif "<" in route or "(?P" in route:
            if name not in ARGS:
                raise AssertionError(f"{name} ({route}) takes arguments: add it to tests/security/every_url.py ARGS")
            result.append((name, reverse(name, kwargs=ARGS[name](world)), role))
        else:
            result.append((name, reverse(name), role))
    return result
