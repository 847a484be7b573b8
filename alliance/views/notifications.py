"""A person's own notifications, marked read when they open them. The list itself (the notification centre, with
the digest's items above it) is portal.views.notifications: the digest reads tours, above this app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from alliance import access, notifications


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one read and follow its link (only to this site)."""
    notification = notifications.notification_read(notification=access.get_notification_for_user(request.user, pk))
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request):
    notifications.notifications_read_all(user=request.user)
    return redirect("notifications")
