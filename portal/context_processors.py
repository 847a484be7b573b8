from alliance import access
from portal.reports import reports_for


def roles(request):
    """Role flags for the navigation: PeopleBackend loaded them with the user, so no queries here."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "is_hr": access.is_hr(user),
        "is_manager": access.is_manager(user),
        "me": access.person(user),
        "is_alumnus": access.is_alumnus(user),
        "unread_notifications": access.unread_notifications(user),
        "nav_reports": reports_for(user),
    }
