"""Network writes with side effects or races: rating an insight (the contributor is told), changing or
deleting one (not once it is rated), recording an event with its attendees. Each runs in one transaction.
Plain writes (sharing an insight, budgets, marking one's attendance) stay in the views."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from alliance.events import emit
from alliance.notifications import notify
from networks.models import Attendance, Contribution


@transaction.atomic
def contribution_rate(*, contribution, by, rating, acted_on, outcome):
    """Rate an insight and tell its contributor when the rating changed or it was newly acted on; returns
    whether they were told. The row is locked and read afresh, so two managers rating at once are told
    apart (the second compares with the first's rating, not with what both saw on the form)."""
    locked = Contribution.objects.select_for_update().select_related("contributor__user").get(pk=contribution.pk)
    newly_acted_on = acted_on and not locked.acted_on
    told = rating != locked.rating or newly_acted_on  # re-saving the same rating tells no one
    locked.rating, locked.acted_on, locked.outcome = rating, acted_on, outcome
    locked.rated_by, locked.rated_at = by, timezone.now()
    # Only the rating's own fields, so a contributor's edit saved a moment earlier is not undone.
    locked.save(update_fields=["rating", "acted_on", "outcome", "rated_by", "rated_at", "updated_at"])
    if newly_acted_on:
        emit("insight.acted_on", locked, {"contributor_id": locked.contributor_id, "rating": rating})
    if told:
        message = f"Your insight “{locked.title}” was rated {rating}/5"
        if newly_acted_on:
            message += f" and acted on: {outcome.strip().rstrip('.')}"
        notify(
            user=locked.contributor.user,
            message=f"{message}.",
            url=locked.get_absolute_url(),
            email_subject="Your insight was acted on" if newly_acted_on else "Your insight was rated",
        )
    return told


def _lock_unrated(pk):
    """Inside the transaction that changes or deletes an insight: a rating may have landed since the
    access check, so lock the row (a rating now waits for this change) and look again."""
    if Contribution.objects.select_for_update().only("rating").get(pk=pk).is_rated:
        raise PermissionDenied("This insight has been rated, so it can no longer be changed.")


@transaction.atomic
def contribution_update(*, form):
    """Save the contributor's change to an insight, unless it was rated since they opened it (403)."""
    _lock_unrated(form.instance.pk)
    return form.save()


@transaction.atomic
def contribution_delete(*, contribution):
    """Delete an insight, unless it was rated since its contributor opened it (403)."""
    _lock_unrated(contribution.pk)
    contribution.delete()


@transaction.atomic
def event_save(*, form, by):
    """Save an event from its form and make its attendance list the one the form names: people removed
    from the list go, unless they said themselves that they attended; new ones are added."""
    event = form.save(commit=False)
    if not event.pk:
        event.created_by = by
    event.save()
    listed = {e.pk for e in form.cleaned_data["attendees_text"]}
    event.attendances.filter(self_reported=False).exclude(employee__in=listed).delete()
    existing = set(event.attendances.values_list("employee_id", flat=True))
    Attendance.objects.bulk_create(Attendance(event=event, employee_id=pk) for pk in listed - existing)
    return event
