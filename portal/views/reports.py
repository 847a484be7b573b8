"""The index of reports. Each report lives in the app whose data it shows and is declared in its REPORTS."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alliance.reporting import scope
from portal.reports import reports_for


@login_required
def report_index(request):
    """Managers and HR: the reports they may open (others 403)."""
    scope(request.user)
    return render(request, "reports/index.html", {"reports": reports_for(request.user)})
