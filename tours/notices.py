"""Who hears about what happens to a tour. Called by the services, inside their transaction.

What asks the other side to sign (a proposal, new terms, the other's signature) is mailed at once whatever their
email preference: it needs an action today. The rest (agreement, a check-in) follows the preference: at once, or
in their digest (alliance.notifications)."""

from alliance import access
from alliance.notifications import notify


def parties(tour):
    """The users on both sides of the agreement (the manager may be missing)."""
    users = [tour.employee.user]
    if tour.employee.manager_id:
        users.append(tour.employee.manager.user)
    return users


def _tell(users, message, tour, subject, *, now=False):
    for user in users:
        notify(user=user, message=message, url=tour.get_absolute_url(), email_subject=subject, now=now)


def _others(tour, actor):
    return [user for user in parties(tour) if user.pk != actor.pk]


def _name(user):
    """The person's name (names live on Employee; the sign-in's own name fields are mostly empty)."""
    person = access.person(user)
    return getattr(person, "full_name", "") or user.get_full_name() or user.email


def proposed(tour, actor):
    _tell(
        _others(tour, actor),
        f"{_name(actor)} proposed the tour “{tour.title}”: read it and sign.",
        tour,
        "A tour of duty was proposed to you",
        now=True,
    )


def revised(tour, revision, actor):
    _tell(
        _others(tour, actor),
        f"{_name(actor)} changed the terms of “{revision.title}” (revision "
        f"{revision.number}). Earlier signatures no longer count.",
        tour,
        "New terms for your tour of duty",
        now=True,
    )


def signed(tour, actor):
    _tell(
        _others(tour, actor),
        f"{_name(actor)} signed “{tour.title}”. It is agreed once you sign too.",
        tour,
        "Your tour of duty was signed",
        now=True,
    )


def agreed(tour):
    _tell(
        parties(tour),
        f"“{tour.title}” is agreed, in force from {tour.start_date:%d %b %Y}.",
        tour,
        "Your tour of duty is agreed",
    )


def checked_in(tour, checkin, actor):
    """One side recorded a check-in: the other side is told (and reminded when theirs is still to do)."""
    other_side_done = tour.checkins.filter(due_on=checkin.due_on).exclude(side=checkin.side).exists()
    todo = "" if other_side_done else " Yours for that date is still to do."
    _tell(
        _others(tour, actor),
        f"{_name(actor)} checked in on “{tour.title}” (due {checkin.due_on:%d %b %Y}).{todo}",
        tour,
        "A check-in was recorded on your tour of duty",
    )
