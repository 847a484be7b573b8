from portal.reports import reports_for


def roles(request):
    """`roles` (request.roles: roles.hr, roles.manager, roles.alumnus, roles.person, roles.unread) and the
    reports in the navigation. PeopleBackend loaded the roles with the user, so no queries here."""
    if not request.user.is_authenticated:
        return {}
    return {"roles": request.roles, "nav_reports": reports_for(request.user)}
