from alliance import access


def roles(request):
    """Role flags for the navigation; cached on the user, so at most three small queries a page."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "is_hr": access.is_hr(user),
        "is_manager": access.is_manager(user),
        "me": access.person(user),
        "is_alumnus": access.is_alumnus(user),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
