"""HR's webhook pages: the endpoints, adding one (its secret shown once), its delivery log, enable or disable,
delete. Everyone else gets 403 (alliance.access.require)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance import access as people_access
from webhooks import access
from webhooks.forms import EndpointForm
from webhooks.models import Endpoint

NEW_SECRET = "webhooks_new_secret"  # noqa: S105 -- session key: the secret of the endpoint just added, shown once


@people_access.require("hr")
def endpoint_list(request):
    """HR: every endpoint with its state and how its deliveries went."""
    endpoints = Endpoint.objects.annotate(
        pending=Count("messages", filter=Q(messages__delivered_at=None, messages__given_up_at=None)),
        last_delivered=Max("messages__delivered_at"),
    ).order_by("url", "pk")
    return render(request, "webhooks/list.html", {"endpoints": endpoints})


@people_access.require("hr")
def endpoint_create(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        endpoint = form.save()
        request.session[NEW_SECRET] = {"pk": endpoint.pk, "secret": endpoint.secret}
        messages.success(request, "Endpoint added. Copy its signing secret now: it is not shown again.")
        return redirect(endpoint)
    return render(request, "webhooks/form.html", {"form": form})


@people_access.require("hr")
def endpoint_detail(request, pk):
    """HR: the endpoint, its events and its delivery log (25 messages a page, each with every attempt)."""
    endpoint = access.get_endpoint_for_user(request.user, pk)
    shown = request.session.pop(NEW_SECRET, None)
    secret = shown["secret"] if shown and shown.get("pk") == endpoint.pk else None
    log = endpoint.messages.prefetch_related("attempts").order_by("-created_at", "-pk")
    page = Paginator(log, 25).get_page(request.GET.get("page"))
    return render(request, "webhooks/detail.html", {"endpoint": endpoint, "page": page, "secret": secret})


@login_required
@require_POST
@people_access.require("hr")
def endpoint_toggle(request, pk):
    """Enable (its failure count starts again) or disable an endpoint."""
    endpoint = access.get_endpoint_for_user(request.user, pk)
    enable = request.POST.get("enable") == "1"
    Endpoint.objects.filter(pk=endpoint.pk).update(
        enabled=enable, **({"consecutive_failures": 0, "disabled_reason": ""} if enable else {})
    )
    messages.success(request, f"{endpoint.url} {'enabled' if enable else 'disabled'}.")
    return redirect(endpoint)


@people_access.require("hr")
def endpoint_delete(request, pk):
    """A confirmation page; the POST deletes the endpoint with its delivery log."""
    endpoint = access.get_endpoint_for_user(request.user, pk)
    if request.method == "POST":
        endpoint.delete()
        messages.success(request, f"{endpoint.url} deleted: nothing more is sent to it.")
        return redirect("webhooks:list")
    return render(request, "webhooks/confirm_delete.html", {"endpoint": endpoint})
