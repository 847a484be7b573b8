"""Who hears about what happens to a tour. Called by the services, inside their transaction."""

from alliance.notifications import notify


def parties(tour):
    """The users on both sides of the agreement (the manager may be missing)."""
    users = [tour.employee.user]
    if tour.employee.manager_id:
        users.append(tour.employee.manager.user)
    return users


def _tell(users, message, tour, subject):
    for user in users:
        notify(user=user, message=message, url=tour.get_absolute_url(), email_subject=subject)


def _others(tour, actor):
    return [user for user in parties(tour) if user.pk != actor.pk]


def _name(user):
    return user.get_full_name() or user.email


def proposed(tour, actor):
    _tell(
        _others(tour, actor),
        f"{_name(actor)} proposed the tour “{tour.title}”: read it and sign.",
        tour,
        "A tour of duty was proposed to you",
    )


def revised(tour, revision, actor):
    _tell(
        _others(tour, actor),
        f"{_name(actor)} changed the terms of “{revision.title}” (revision "
        f"{revision.number}). Earlier signatures no longer count.",
        tour,
        "New terms for your tour of duty",
    )


def signed(tour, actor):
    _tell(
        _others(tour, actor),
        f"{_name(actor)} signed “{tour.title}”. It is agreed once you sign too.",
        tour,
        "Your tour of duty was signed",
    )


def agreed(tour):
    _tell(
        parties(tour),
        f"“{tour.title}” is agreed, in force from {tour.start_date:%d %b %Y}.",
        tour,
        "Your tour of duty is agreed",
    )
