"""{% history_for obj %}: the latest changes to one object, shown to HR only."""

from django import template

from audit import trail

register = template.Library()


@register.inclusion_tag("audit/_history.html", takes_context=True)
def history_for(context, obj, limit=10):
    if not context["request"].roles.hr:
        return {"show": False}
    kind = trail.kind_for(obj)
    return {"show": True, "entries": trail.recent_for(obj, limit), "kind": kind, "obj": obj, "limit": limit}
