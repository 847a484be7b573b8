"""The REST API's browsable documentation: Swagger UI, served by the app (drf-spectacular-sidecar), no CDN."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def api_docs(request):
    """Anyone signed in: the API's reference, whose "Try it out" runs as them (their session, CSRF on writes).
    Our own page and start-up script (static/js/api-docs.js) instead of drf-spectacular's, whose inline script and
    style the Content Security Policy refuses; Swagger UI itself runs under the site's policy unchanged."""
    return render(request, "api/docs.html")
