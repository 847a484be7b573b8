"""Who may see and change webhook endpoints: HR only, every endpoint (like the people import). Every webhook view
goes through get_endpoint_for_user()."""

from django.shortcuts import get_object_or_404

from alliance.access import require_hr
from webhooks.models import Endpoint


def get_endpoint_for_user(user, pk):
    """403 for anyone but HR (whether or not the endpoint exists), 404 for an unknown endpoint."""
    require_hr(user)
    return get_object_or_404(Endpoint, pk=pk)
