"""Which models keep a history (django-simple-history), and what is left out of it.

The history tables live in this app (`audit_historical<model>`), so the tracked apps' models stay
as they are. Left out everywhere: bookkeeping timestamps (the history row has its own date) and
anything secret: User passwords and last sign-in, and alumni invitations (a token hash) entirely.
Tour revisions, objectives, signatures and check-ins are written once and never edited (each
records its author and time), so the Tour's own history (state, dates, revision pointers, manager
outcome) is what complements them.
"""

from simple_history import register
from simple_history.models import HistoricalRecords

from alliance.models import CompanyValue, Employee, Organization, Team, User
from alumni.models import AlumniProfile, Departure, Referral, Rehire
from networks.models import Contribution
from tours.models import Tour


class AuditRecords(HistoricalRecords):
    """Skips saves that change nothing tracked (a sign-in's last_login, a password change)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None and set(update_fields) <= set(self.excluded_fields):
            return
        if not created and not self._changed_since_last_record(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _changed_since_last_record(self, instance):
        history = getattr(instance, self.manager_name)
        last = history.order_by("-history_id").first()
        if last is None:
            return True
        return any(getattr(last, f.attname) != getattr(instance, f.attname) for f in self.fields_included(instance))


# model → fields kept out of its history table
TRACKED = {
    User: ["password", "last_login", "date_joined", "mail"],  # the email preference is the person's own setting
    Employee: [
        "user",
        "created_at",
        "updated_at",
        "tree_path",
    ],  # one sign-in for life (tracked itself); a derived path
    Team: [],
    Organization: ["updated_at"],
    CompanyValue: [],
    Tour: ["next_tour_on", "checkin_due_on", "created_at", "updated_at"],  # the two dates are derived
    Contribution: ["updated_at"],
    AlumniProfile: ["updated_at", "created_at"],
    Departure: ["created_at"],
    Rehire: ["created_at"],
    Referral: ["created_at", "status_changed_at"],
}

for _model, _excluded in TRACKED.items():
    register(
        _model,
        app="audit",
        records_class=AuditRecords,
        excluded_fields=_excluded,
    )
