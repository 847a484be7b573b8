"""Nothing a stranger can type tells them whether an email address has an account here."""

import re

import pytest
from django.urls import reverse

from alliance.models import User
from alumni import services as alumni_services
from tests.factories import PASSWORD

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page(response):
    return response.status_code, response.redirect_chain, CSRF.sub(b"", response.content)


def reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


@pytest.mark.parametrize("who", ["report", "alumnus", "upper case"])
def test_password_reset_answers_the_same_for_a_known_and_an_unknown_email(cast, client, mailoutbox, who):
    email = cast.report.user.email.upper() if who == "upper case" else getattr(cast, who).user.email
    unknown = reset(client, "nobody@test.example")
    assert mailoutbox == []
    known = reset(client, email)
    assert page(known) == page(unknown)
    assert known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert [m.to for m in mailoutbox] == [[email.lower()]]


def test_an_account_that_cannot_reset_looks_like_no_account(cast, client, mailoutbox):
    """An erased alumnus (no password) and a deactivated account get no mail and the same page."""
    erased = cast.other.user
    erased.set_unusable_password()
    erased.save()
    User.objects.filter(pk=cast.manager.user.pk).update(is_active=False)
    unknown = reset(client, "nobody@test.example")
    assert page(reset(client, erased.email)) == page(unknown)
    assert page(reset(client, cast.manager.user.email)) == page(unknown)
    assert mailoutbox == []


def test_sign_in_says_the_same_for_a_wrong_password_and_an_unknown_email(cast, client):
    wrong = client.post(reverse("login"), {"username": cast.report.user.email, "password": "not-it"})
    unknown = client.post(reverse("login"), {"username": "nobody@test.example", "password": "not-it"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    # The page echoes the typed email back, so compare it with the address taken out.
    strip = lambda r, e: CSRF.sub(b"", r.content).replace(e.encode(), b"EMAIL")  # noqa: E731
    assert strip(wrong, cast.report.user.email) == strip(unknown, "nobody@test.example")
    assert client.post(reverse("login"), {"username": cast.report.user.email, "password": PASSWORD}).status_code == 302


def test_the_invitation_link_alone_identifies_the_invitee(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    """The alumni invitation flow asks for no email: a link is sent by HR to the address on record, and
    a wrong or closed link says nothing about whom it was for."""
    with django_capture_on_commit_callbacks(execute=True):
        alumni_services.send_invitation(employee=cast.alumnus, by=cast.hr.user)
    assert [m.to for m in mailoutbox] == [[cast.alumnus.user.email]]
    link = re.search(r"/alumni/invitation/[^/\s]+/", mailoutbox[0].body).group(0)
    forged = client.get(reverse("alumni:accept", args=["no-such-token"]))
    assert forged.status_code == 404
    for text in (cast.alumnus.first_name, cast.alumnus.last_name, cast.alumnus.user.email):
        assert text.encode() not in forged.content
    opened = client.get(link)
    assert opened.status_code == 200 and cast.alumnus.first_name.encode() in opened.content
    with django_capture_on_commit_callbacks(execute=True):
        alumni_services.send_invitation(employee=cast.alumnus, by=cast.hr.user)  # revokes the first link
    closed = client.get(link)
    assert closed.status_code == 410
    for text in (cast.alumnus.first_name, cast.alumnus.last_name, cast.alumnus.user.email):
        assert text.encode() not in closed.content
