"""The notification centre: what needs the person now (their digest's items, tours.digest) above everything they
were told, newest first. Here in portal because the digest reads tours and the notifications are alliance's."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tours.digest import digest_for


@login_required
def notification_list(request):
    """Anyone signed in: their own digest items and notifications (nobody else's: there is no id to ask for)."""
    page = Paginator(request.user.notifications.all(), 25).get_page(request.GET.get("page"))
    return render(request, "alliance/notifications.html", {"page": page, "digest": digest_for(request.user)})
