"""Money as people read it, in one format everywhere: `1,234.50 EUR` (two places, grouped thousands, the ISO code
after). The templates use it as `{{ amount|money:currency }}` (alliance.templatetags.ui); messages call it."""

from decimal import Decimal, InvalidOperation


def format_money(amount, currency=""):
    try:
        value = Decimal(amount).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{value:,.2f} {currency}".strip()
