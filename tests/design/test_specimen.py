"""The design specimen (/design/): HR only; it renders every state badge and component."""

from django.urls import reverse

from alliance.templatetags.ui import STATES


def test_the_specimen_is_refused_to_a_manager_and_shown_to_hr(client_for, cast):
    assert client_for("manager").get(reverse("design")).status_code == 403
    assert client_for("report").get(reverse("design")).status_code == 403
    response = client_for("hr").get(reverse("design"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in STATES:
        assert f'data-state="{key}"' in html
    assert 'class="tour-track upto-' in html and '<li class="stamp signed">' in html
    assert "style=" not in html


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("design"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
