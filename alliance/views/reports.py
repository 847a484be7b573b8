"""The index of reports. Each report lives in the app whose data it shows."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from alliance.reporting import scope

REPORTS = [
    (
        "tours:report_at_risk",
        "Tours at risk",
        "Tours ending soon with no next tour agreed; next-tour conversations due.",
    ),
]


@login_required
def report_index(request):
    scope(request.user)  # managers and HR only
    reports = [(reverse(name), title, text) for name, title, text in REPORTS]
    return render(request, "reports/index.html", {"reports": reports})
