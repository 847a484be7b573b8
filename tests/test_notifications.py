from django.core import mail
from django.db import transaction
from django.urls import reverse

from alliance.models import Notification
from alliance.notifications import notification_read, notifications_read_all, notify


def test_notify_records_and_emails_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=cast.report.user,
            message="A tour was proposed to you.",
            url="/tours/1/",
            email_subject="Tour",
            now=True,
        )
    assert cast.report.user.notifications.get().message == "A tour was proposed to you."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.report.user.email]
    assert "http://testserver/tours/1/" in mail.outbox[0].body or "/tours/1/" in mail.outbox[0].body


def test_no_email_when_the_transaction_rolls_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(user=cast.report.user, message="x", email_subject="x")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_list_shows_only_my_notifications_and_marks_read(cast, client_for):
    mine = notify(user=cast.report.user, message="Mine", url="/company/")
    notify(user=cast.other.user, message="Someone else's")
    client = client_for("report")
    page = client.get(reverse("notifications"))
    assert "Mine" in page.text and "Someone else" not in page.text
    assert '1<span class="visually-hidden"> unread' in page.text
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/company/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_cannot_open_someone_elses_notification(cast, client_for):
    theirs = notify(user=cast.other.user, message="Private")
    assert client_for("report").post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_offsite_links_are_not_followed(cast, client_for):
    n = notify(user=cast.report.user, message="x", url="https://evil.example/")
    assert client_for("report").post(reverse("notification_open", args=[n.pk])).url == reverse("notifications")


def test_mark_all_read(cast, client_for):
    for i in range(3):
        notify(user=cast.report.user, message=f"n{i}")
    client_for("report").post(reverse("notification_read_all"))
    assert not cast.report.user.notifications.filter(read_at__isnull=True).exists()


def test_list_query_count_does_not_grow(cast, client_for, django_assert_max_num_queries):
    for i in range(30):
        notify(user=cast.report.user, message=f"n{i}", url="/company/")
    client = client_for("report")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications")).status_code == 200


def test_opening_a_notification_keeps_the_first_time_it_was_read(cast):
    note = notify(user=cast.report.user, message="First")
    notification_read(notification=note)
    first = Notification.objects.get(pk=note.pk).read_at
    assert first is not None
    notification_read(notification=Notification.objects.get(pk=note.pk))
    assert Notification.objects.get(pk=note.pk).read_at == first


def test_reading_all_marks_only_that_persons_unread_ones(cast):
    for message in ("a", "b"):
        notify(user=cast.report.user, message=message)
    notify(user=cast.manager.user, message="theirs")
    assert notifications_read_all(user=cast.report.user) == 2
    assert not cast.report.user.notifications.filter(read_at__isnull=True).exists()
    assert cast.manager.user.notifications.get().read_at is None
