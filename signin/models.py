"""The sign-in log: who signed in, how, who failed, and every change to a person's second factor.

History tables (the audit app) record changes to rows; a sign-in or a failure changes no row of ours, and a
second factor lives in allauth's Authenticator table, whose secrets must never be copied into a history table.
So these events are rows of their own, written by signin.receivers and signin.services, and shown to HR at
/audit/sign-ins/ (everyone's, or one person's: the link on their page)."""

from django.conf import settings
from django.db import models


class SignInEvent(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        FAILED = "failed", "Sign-in failed"
        REFUSED = "refused", "Sign-in refused"
        ENROLLED = "enrolled", "Second factor added"
        REMOVED = "removed", "Second factor removed"
        RESET = "reset", "Second factor reset by HR"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_in_events"
    )
    # What was typed or what the identity provider said, for a failure or a refusal with no account behind it.
    email = models.CharField(max_length=254, blank=True)
    method = models.CharField(max_length=40, blank=True)  # password, SSO, sign-in link, totp, webauthn...
    detail = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # who did it, when not the person themself (HR's reset)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)  # the log page, newest first

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="signinevent_user_at_idx")]  # a person's history

    def __str__(self):
        return f"{self.get_kind_display()} {self.email} {self.at:%Y-%m-%d %H:%M}"
