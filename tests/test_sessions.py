"""alliance.sessions: Django's database sessions, read with SQL compiled once, keep Django's behaviour."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from alliance.sessions import SessionStore


def test_a_saved_session_reads_back_and_an_expired_or_unknown_one_is_empty(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key)["answer"] == 42

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert "answer" not in expired and expired.session_key is None  # a new session, not the old one revived

    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None
    assert dict(SessionStore("not valid!").items()) == {}  # Django refuses the key before any query


def test_a_signed_in_page_reads_the_session_in_one_query(client_for, django_assert_num_queries):
    client = client_for("other")
    client.get("/")
    with django_assert_num_queries(1):
        SessionStore(client.session.session_key).load()
    assert client.get("/").context["user"].email == "other@test.example"
