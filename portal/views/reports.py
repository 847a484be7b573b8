"""The index of reports. Each report lives in the app whose data it shows and is declared in its REPORTS."""

from django.shortcuts import render

from alliance import access
from portal.reports import reports_for


@access.require("hr", "manager", message="Reports are for managers and HR.")
def report_index(request):
    """Managers and HR: the reports they may open (others 403)."""
    return render(request, "reports/index.html", {"reports": reports_for(request.user)})
