"""A list page's filter field (label, widget, error, help text) rendered in Python: the markup of
templates/includes/filter_field.html and of Django's input and select widget templates, without them.

Those templates (a field include, the widget template, an attrs include per widget and per option) were
a quarter of a list page's CPU, on the busiest pages; the filters use only plain inputs and selects, whose
markup is small and fixed. Any other widget falls back to Django's own rendering.
tests/design/test_filter_fields.py holds every filter field of every list to what Django renders."""

from django.forms.widgets import Select
from django.utils.safestring import mark_safe

from alliance.markup import conditional_escape as escape

INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "number", "email", "url", "search", "date")
}
SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _attrs(attrs):
    """django/forms/widgets/attrs.html: True as a bare name, False left out, anything else name="value"."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget):
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            value, label = escape(option["value"]), escape(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _plain_select(widget, name, value, attrs):
    """A single select without option groups, from its choices: Django's optgroups() builds a dict per option
    (half the filters' cost on a list page). None when the choices have a group (Django renders those)."""
    values = widget.format_value(value)
    parts, has_selected = [f'<select name="{escape(name)}"{_attrs(widget.build_attrs(widget.attrs, attrs))}>'], False
    for option_value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        option_value = "" if option_value is None else option_value
        selected = not has_selected and str(option_value) in values
        has_selected |= selected
        parts.append(
            f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>{escape(label)}</option>'
        )
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{widget["type"]}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def widget_html(bound_field):
    """The field's widget as BoundField.as_widget() renders it, for plain inputs and selects."""
    widget = bound_field.field.widget
    template = getattr(widget, "template_name", None)
    if template not in INPUT_TEMPLATES and template != SELECT_TEMPLATE:
        return str(bound_field)
    attrs = bound_field.build_widget_attrs({}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    if template == SELECT_TEMPLATE and type(widget) is Select:
        html = _plain_select(widget, bound_field.html_name, bound_field.value(), attrs)
        if html is not None:
            return html
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    return _select(context) if template == SELECT_TEMPLATE else _input(context)


def filter_field_html(field):
    """includes/filter_field.html's markup for one bound field of a FilterForm."""
    auto_id = escape(field.auto_id)
    errors = ""
    if field.errors:
        items = "".join(f"<p><strong>{escape(error)}</strong></p>" for error in field.errors)
        errors = f'\n  <div id="{auto_id}_error" class="invalid-feedback">{items}</div>'
    help_text = ""
    if field.help_text:
        help_text = f'\n  <div id="{auto_id}_helptext" class="form-text">{escape(field.help_text)}</div>'
    return mark_safe(  # noqa: S308 -- every value is escaped above or by widget_html
        f'<div id="div_{auto_id}" class="mb-3">\n'
        f'  <label for="{escape(field.id_for_label)}" class="form-label">{escape(field.label)}</label>\n'
        f"  {widget_html(field)}{errors}{help_text}\n</div>"
    )
