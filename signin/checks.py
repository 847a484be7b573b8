"""A misspelt role in MFA_REQUIRED_FOR would hold no one (or fail every request): refuse to start instead."""

from django.conf import settings
from django.core.checks import Error, register

from alliance.roles import ROLE_NAMES

ROLES = sorted(set(ROLE_NAMES) - {"departed"})


@register()
def mfa_required_for_names_roles(app_configs, **kwargs):
    unknown = [name for name in settings.MFA_REQUIRED_FOR if name not in ROLES]
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_FOR names {', '.join(unknown)}, which is not a role.",
            hint=f"Use a comma-separated list of {', '.join(ROLES)} (or leave it empty).",
            id="signin.E001",
        )
    ]
