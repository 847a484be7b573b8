"""Who may do what in the 1:1 workspace. The rules are the tour's (tours/access.py): whoever may see a tour reads
its agenda; the two parties and HR add and tick talking points ("agenda"); only the parties record that they
met ("check_in"). A talking point is removed by its author alone, while it is open. A private note is read
and written only through my_note(), which filters on the signed-in author: nobody else's is ever fetched."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from meetings.models import PrivateNote, TalkingPoint
from tours import access as tour_access


def get_tour_for_user(user, pk, action="view"):
    """The tour whose workspace this is: 404 if the user may not see it, 403 if they may not do `action`."""
    return tour_access.get_tour_for_user(user, pk, action)


def may(user, tour, action):
    return tour_access.can(user, tour, action)


def get_point_for_user(user, pk, action="agenda"):
    """A talking point, through its tour's rules: 404 when the tour is out of sight, 403 when the user may not
    change its agenda; "delete" is its author's alone."""
    point = get_object_or_404(TalkingPoint, pk=pk)
    point.tour = get_tour_for_user(user, point.tour_id, "agenda")
    if action == "delete" and point.author_id != user.pk:
        raise PermissionDenied("Only whoever added a talking point can remove it.")
    return point


def my_note(user, tour, due_on):
    """The user's own private note for this check-in, or None."""
    return PrivateNote.objects.filter(tour=tour, author=user, due_on=due_on).first()
