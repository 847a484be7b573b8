"""The 1:1 workspace: the shared agenda of a tour's next check-in, and each person's private notes.

The agenda open on a tour is the one for `Tour.checkin_due_on` (the earliest due date both sides have not
answered yet). It closes when both sides have recorded that check-in, however they did (the workspace's
"We met" or the check-in form): the tour's due date moves on, and the next agenda is open. Nothing is copied
when it does: a talking point is open until someone ticks it covered (`covered_for` is then the due date of
the agenda it was covered on), and an open point is on every agenda from the one it was added to on, so a
point not covered carries over by itself, once, whoever closes the agenda and however many click at once.

Neither model is in the admin: a private note is its author's alone, staff included."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tours.models import Tour


class TalkingPointQuerySet(models.QuerySet):
    def on_agenda(self, due_on):
        """The open agenda, for `due_on`: every point still open (added for it, or carried over from an earlier
        agenda) and the points ticked covered on it."""
        return self.filter(Q(covered_for__isnull=True) | Q(covered_for=due_on))


class TalkingPoint(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="talking_points")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("talking point", max_length=500)
    # The check-in due date whose agenda the point was added to.
    added_for = models.DateField()
    # The due date of the agenda on which it was ticked covered; empty while open (then it carries over).
    covered_for = models.DateField(null=True, blank=True)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TalkingPointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The workspace: a tour's open points and the points covered on one of its agendas.
            models.Index(fields=["tour", "covered_for"], name="talking_point_tour_covered_idx"),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_open(self):
        return self.covered_for is None


class PrivateNote(models.Model):
    """One person's own notes for one check-in of a tour, shown to its author and to nobody else: every read
    filters on the signed-in author (meetings.access.my_note)."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    text = models.TextField("my private notes", max_length=5000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One notepad per person and meeting: two saves at once (two tabs) update one row.
            models.UniqueConstraint(fields=["tour", "author", "due_on"], name="private_note_one_per_meeting")
        ]

    def __str__(self):
        return f"Private note for {self.due_on}"
