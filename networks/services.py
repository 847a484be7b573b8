"""Network writes with side effects: rating an insight (the contributor is told), recording an event with
its attendees. Each runs in one transaction. Plain edits (sharing or changing an insight, budgets) stay
ModelForms in the views."""

from django.db import transaction
from django.utils import timezone

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
