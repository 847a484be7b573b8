"""Every app's reports in one list, for the reports index, the dashboards and the navigation.
Each app declares its reports in its own reports.py (on alliance.reporting); only this top layer
knows them all."""

from alliance.reporting import Report
from alumni.reports import REPORTS as ALUMNI_REPORTS
from networks.reports import REPORTS as NETWORK_REPORTS
from tours.reports import REPORTS as TOUR_REPORTS

ALL_REPORTS: list[Report] = [*TOUR_REPORTS, *NETWORK_REPORTS, *ALUMNI_REPORTS]


def reports_for(user):
    """The reports this user may open, in the order declared; no queries (the roles come with the user)."""
    if not user.is_authenticated:
        return []
    return [report for report in ALL_REPORTS if report.allows(user)]
