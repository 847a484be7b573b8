"""One password reset link, its form sent twice at the same moment (two tabs, a replayed request): one succeeds,
the other finds the link used (issue 22: both succeeded). PostgreSQL: on SQLite two writers never overlap."""

import threading

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance.models import User
from alliance.views.accounts import PasswordResetConfirmView

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uses_of_one_reset_link_one_succeeds(cast, monkeypatch):
    user = cast.report.user
    link = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)), "x"])
    link = link.replace("/x/", f"/{default_token_generator.make_token(user)}/")
    tabs = [Client(), Client()]
    forms = [tab.get(link, follow=True).redirect_chain[-1][0] for tab in tabs]  # each tab holds the link's token

    # Both requests pass the link check at the top of the view before either saves: then they race.
    barrier = threading.Barrier(2, timeout=10)
    get_form = PasswordResetConfirmView.get_form

    def both_checked(self, *args, **kwargs):
        barrier.wait()
        return get_form(self, *args, **kwargs)

    monkeypatch.setattr(PasswordResetConfirmView, "get_form", both_checked)
    answers = {}

    def use(n):
        password = f"a-brand-new-pass-{n}"
        try:
            answers[n] = (tabs[n].post(forms[n], {"new_password1": password, "new_password2": password}), password)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(response.status_code for response, _ in answers.values())
    assert statuses == [200, 302]
    [(failed, _)] = [a for a in answers.values() if a[0].status_code == 200]
    assert "invalid" in failed.text.lower() or "used" in failed.text.lower()
    [(_, winner)] = [a for a in answers.values() if a[0].status_code == 302]
    assert User.objects.get(pk=user.pk).check_password(winner)
