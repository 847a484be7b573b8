"""Signed webhooks: HR's endpoints, delivery by the worker with Standard Webhooks signatures, retries, disabling,
and no requests to private addresses. A real receiver on 127.0.0.1 checks every signature (tests/webhooks/receiver)."""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from alliance.models import Notification, User
from tests.factories import make_tour
from tests.webhooks import receiver as receivers
from tours import services as tour_services
from webhooks.delivery import signature, webhook_deliver
from webhooks.models import Attempt, Endpoint, Message

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_WAIT = (0, 0, 0, 0, 0, 0)


def endpoint_for(receiver, cast, events=("tour.proposed", "tour.signed"), **fields):
    endpoint = Endpoint.objects.create(url=receiver.url(), events=list(events), created_by=cast.hr.user, **fields)
    receiver.secret = endpoint.secret
    return endpoint


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_the_signature_is_standard_webhooks_v1():
    """The spec's own example (standard-webhooks/standard-webhooks, spec): secret, id, timestamp, body, signature."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"test": 2432232314}'
    assert signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_each_event_reaches_the_receiver_signed_and_once(
    cast, client_for, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, cast)
    tour = make_tour(cast.report_report)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("report_report").post(reverse("tours:propose", args=[tour.pk]))
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client_for("report_report").post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    with django_capture_on_commit_callbacks(execute=True):
        client_for("report").post(reverse("tours:sign", args=[tour.pk]), {"revision": 1})
    tour.refresh_from_db()
    assert tour.state == "agreed"
    assert [r.payload["type"] for r in receiver.received] == ["tour.proposed", "tour.signed", "tour.signed"]
    assert all(r.verified for r in receiver.received), "every signature checks out with the endpoint's secret"
    assert [r.payload["data"] for r in receiver.received] == [
        {"id": tour.pk, "employee_id": cast.report_report.pk, "revision": 1},
        {"id": tour.pk, "role": "employee", "revision": 1, "agreed": False},
        {"id": tour.pk, "role": "manager", "revision": 1, "agreed": True},
    ]
    assert len({r.webhook_id for r in receiver.received}) == 3
    messages = list(Message.objects.filter(endpoint=endpoint))
    assert len(messages) == 3 and all(m.delivered_at for m in messages)
    assert {m.webhook_id for m in messages} == {r.webhook_id for r in receiver.received}
    assert [a.status_code for a in Attempt.objects.filter(message__endpoint=endpoint)] == [200, 200, 200]


def test_only_the_kinds_picked_and_only_enabled_endpoints(cast, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver, cast, events=["tour.ended"])
    other = receivers.start()
    try:
        Endpoint.objects.create(url=other.url(), events=["tour.proposed"], enabled=False, created_by=cast.hr.user)
        with django_capture_on_commit_callbacks(execute=True):
            tour_services.tour_propose(tour=make_tour(cast.report_report), user=cast.report_report.user)
    finally:
        other.server.shutdown()
    assert receiver.received == [] and other.received == []
    assert not Message.objects.exists()


def test_a_rolled_back_action_sends_nothing(cast, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver, cast)
    tour = make_tour(cast.report_report)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(tour_services.TourError):
        tour_services.tour_propose(tour=tour, user=cast.report_report.user)
        tour_services.tour_propose(tour=tour, user=cast.report_report.user)  # not a draft any more: refused
    assert [r.payload["type"] for r in receiver.received] == ["tour.proposed"]


@override_settings(TASKS=DATABASE_TASKS, WEBHOOKS_RETRY_SECONDS=NO_WAIT)
@pytest.mark.django_db(transaction=True)  # the worker in this process closes its connections
def test_a_receiver_that_fails_three_times_then_recovers_gets_the_event_once(
    cast, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, cast)
    receiver.statuses = [500, 503, 502]
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(tour=make_tour(cast.report_report), user=cast.report_report.user)
    assert receiver.received == []  # the request only queued it: the worker delivers
    run_worker()
    assert [r.status for r in receiver.received] == [500, 503, 502, 200]
    assert all(r.verified for r in receiver.received)
    assert len({r.webhook_id for r in receiver.received}) == 1, "every retry is the same message (one webhook-id)"
    assert len(receiver.delivered()) == 1
    message = Message.objects.get(endpoint=endpoint)
    assert message.delivered_at is not None and message.given_up_at is None
    assert [(a.number, a.status_code) for a in message.attempts.all()] == [(1, 500), (2, 503), (3, 502), (4, 200)]
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0
    # The task run again (a worker that died after the 2xx) sends nothing more.
    webhook_deliver.call(message_id=message.pk)
    run_worker()
    assert len(receiver.received) == 4
    assert not DBTaskResult.objects.exists()  # finished delivery tasks leave no row (the Message is the record)


@override_settings(TASKS=DATABASE_TASKS, WEBHOOKS_RETRY_SECONDS=NO_WAIT, WEBHOOKS_DISABLE_AFTER=3)
@pytest.mark.django_db(transaction=True)  # the worker in this process closes its connections
def test_an_endpoint_failing_again_and_again_is_disabled_and_hr_is_told(
    cast, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, cast)
    receiver.statuses = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(tour=make_tour(cast.report_report), user=cast.report_report.user)
    run_worker()
    assert [r.status for r in receiver.received] == [500, 500, 500]
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "3 failed deliveries in a row" in endpoint.disabled_reason
    assert Message.objects.get().given_up_at is not None
    notice = Notification.objects.get(user=cast.hr.user)
    assert endpoint.url in notice.message and notice.url == endpoint.get_absolute_url()
    # Nothing more is queued for a disabled endpoint.
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(tour=make_tour(cast.report, title="Another"), user=cast.report.user)
    run_worker()
    assert len(receiver.received) == 3 and Message.objects.count() == 1


def test_a_410_gone_disables_the_endpoint_at_once(cast, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(receiver, cast)
    receiver.statuses = [410]
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(tour=make_tour(cast.report_report), user=cast.report_report.user)
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "410 Gone" in endpoint.disabled_reason
    assert len(receiver.received) == 1


@pytest.mark.parametrize("preference", [User.Mail.WEEKLY, User.Mail.OFF])
def test_hr_is_emailed_at_once_whatever_their_digest_preference(
    cast, receiver, django_capture_on_commit_callbacks, preference
):
    """Events that come while an endpoint is disabled are never sent: HR must know today, not in a digest."""
    User.objects.filter(pk=cast.hr.user.pk).update(mail=preference)
    endpoint_for(receiver, cast)
    receiver.statuses = [410]
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(tour=make_tour(cast.report_report), user=cast.report_report.user)
    hr_mail = [m for m in mail.outbox if m.to == [cast.hr.user.email]]
    assert [m.subject for m in hr_mail] == ["A webhook endpoint was disabled"]
    assert Notification.objects.get(user=cast.hr.user).mailed


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://127.0.0.2/hook",  # loopback, outside the tests' allowed 127.0.0.1
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_a_private_address_is_refused_with_a_clear_form_error(client_for, url):
    response = client_for("hr").post(reverse("webhooks:create"), {"url": url, "events": ["tour.proposed"]})
    assert response.status_code == 200
    assert "private, loopback or link-local address" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_other_schemes_and_unknown_hosts_are_form_errors(client_for):
    client = client_for("hr")
    for url, error in [
        ("ftp://example.com/x", "Use an http:// or https:// address."),
        ("http://no-such-host.invalid/x", "could not be resolved"),
        ("http://user:pw@127.0.0.1/x", "no user name or password"),
    ]:
        response = client.post(reverse("webhooks:create"), {"url": url, "events": ["tour.proposed"]})
        assert error in response.content.decode(), url
    response = client.post(reverse("webhooks:create"), {"url": "http://127.0.0.1:9/x"})
    assert "Pick at least one event" in response.content.decode()
    assert not Endpoint.objects.exists()


@override_settings(WEBHOOKS_ALLOWED_NETWORKS=[])
def test_delivery_checks_the_address_again_and_refuses_a_private_one(
    cast, receiver, django_capture_on_commit_callbacks
):
    """An address allowed when saved (or a name that resolves elsewhere now: DNS rebinding) is checked at each
    delivery: nothing is sent, and the attempt says why."""
    endpoint_for(receiver, cast)
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(tour=make_tour(cast.report_report), user=cast.report_report.user)
    assert receiver.received == []
    attempt = Attempt.objects.first()
    assert attempt.status_code is None and "private, loopback or link-local" in attempt.error


def test_hr_adds_an_endpoint_and_sees_its_secret_once(client_for, receiver):
    client = client_for("hr")
    response = client.post(
        reverse("webhooks:create"),
        {"url": receiver.url(), "description": "HRIS sync", "events": ["person.joined", "person.departed"]},
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == endpoint.get_absolute_url()
    assert endpoint.events == ["person.joined", "person.departed"] and endpoint.secret.startswith("whsec_")
    assert endpoint.secret in client.get(endpoint.get_absolute_url()).content.decode()
    again = client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in again and "HRIS sync" in again
    assert endpoint.secret not in client.get(reverse("webhooks:list")).content.decode()


def test_hr_disables_enables_and_deletes_an_endpoint(cast, client_for, receiver):
    endpoint = endpoint_for(receiver, cast, consecutive_failures=4)
    client = client_for("hr")
    client.post(reverse("webhooks:toggle", args=[endpoint.pk]), {"enable": "0"})
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    client.post(reverse("webhooks:toggle", args=[endpoint.pk]), {"enable": "1"})
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0
    assert "This cannot be undone" in client.get(reverse("webhooks:delete", args=[endpoint.pk])).content.decode()
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()  # the GET only asks
    response = client.post(reverse("webhooks:delete", args=[endpoint.pk]))
    assert response.status_code == 302 and not Endpoint.objects.exists()


@pytest.mark.parametrize("role", ["manager", "report", "report_report", "other", "alumnus"])
def test_only_hr_opens_any_webhook_page(cast, client_for, receiver, role):
    endpoint = endpoint_for(receiver, cast)
    client = client_for(role)
    pk = [endpoint.pk]
    for method, url, data in [
        ("get", reverse("webhooks:list"), None),
        ("get", reverse("webhooks:create"), None),
        ("post", reverse("webhooks:create"), {"url": receiver.url(), "events": ["tour.ended"]}),
        ("get", reverse("webhooks:detail", args=pk), None),
        ("post", reverse("webhooks:toggle", args=pk), {"enable": "0"}),
        ("get", reverse("webhooks:delete", args=pk), None),
        ("post", reverse("webhooks:delete", args=pk), None),
    ]:
        assert getattr(client, method)(url, data).status_code == 403, (role, method, url)
    endpoint.refresh_from_db()
    assert endpoint.enabled and Endpoint.objects.count() == 1
    hr = client_for("hr")
    assert hr.get(reverse("webhooks:detail", args=pk)).status_code == 200
    assert hr.get(reverse("webhooks:detail", args=[endpoint.pk + 99])).status_code == 404
    assert hr.get(reverse("webhooks:toggle", args=pk)).status_code == 405
    assert client_for("anonymous").get(reverse("webhooks:list")).status_code == 302


def test_the_pages_cost_the_same_queries_for_3_and_30_deliveries(cast, client_for, receiver):
    endpoints = [endpoint_for(receiver, cast) for _ in range(3)]
    client = client_for("hr")

    def fill(n):
        for endpoint in endpoints:
            for i in range(n):
                m = Message.objects.create(
                    endpoint=endpoint, webhook_id=f"msg_{endpoint.pk}_{n}_{i}", kind="tour.ended", body="{}"
                )
                Attempt.objects.create(message=m, number=1, status_code=500)
                Attempt.objects.create(message=m, number=2, status_code=200)

    counts = []
    for n in (3, 30):
        fill(n)
        client.get(reverse("webhooks:list"))
        for url in (reverse("webhooks:list"), endpoints[0].get_absolute_url()):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
    # list: session, user (PeopleBackend), the endpoints with their counts; detail: + the endpoint, count, page,
    # its attempts (one prefetch)
    assert counts[:2] == counts[2:], counts
    assert max(counts) <= 12


def test_every_payload_is_json_with_ids_only(cast, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver, cast, events=["tour.proposed"])
    with django_capture_on_commit_callbacks(execute=True):
        tour_services.tour_propose(
            tour=make_tour(cast.report_report, title="Secret plans"), user=cast.report_report.user
        )
    body = receiver.received[0].body
    assert "Secret plans" not in body and cast.report_report.last_name not in body
    assert set(json.loads(body)) == {"type", "timestamp", "data"}


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/tour/99999999999999999999999.ics",  # past 64 bits
        "/calendar/event/99999999999999999999999.ics",
        "/webhooks/99999999999999999999999/",
        "/webhooks/99999999999999999999999/delete/",
        "/webhooks/?page=99999999999999999999999999",
        "/calendar/%00.ics",
    ],
)
def test_hostile_ids_are_not_found(client_for, path):
    assert client_for("hr").get(path).status_code in (200, 404)


@pytest.mark.parametrize(
    "url",
    [
        "http://xn--/x",
        "http://a" + "b" * 600 + ".com/",
        "http://\x00/",
        "http://[::1/",
        "http://example.com:99999/",
        "https://[fe80::1%25eth0]/x",
        "http://2130706433/",  # 127.0.0.1 as a number
        "http://0x7f.1/",
    ],
)
def test_hostile_addresses_are_form_errors(client_for, url):
    response = client_for("hr").post(reverse("webhooks:create"), {"url": url, "events": ["tour.ended"]})
    assert response.status_code == 200 and "invalid-feedback" in response.text
    assert not Endpoint.objects.exists()
