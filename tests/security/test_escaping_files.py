"""User text outside ordinary pages: CSV files (formula injection), the JSON export, the emails, the
import preview, and search terms echoed back into the page."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance import csvfiles
from tests.factories import make_tour
from tests.security import world as w

CSV_URLS = [
    reverse("networks:export"),
    reverse("alumni:roster_csv"),
    *(
        reverse(name) + "?format=csv"
        for name in (
            "tours:report_at_risk",
            "tours:report_coverage",
            "tours:report_outcomes",
            "tours:report_checkins",
            "networks:report",
            "alumni:report",
        )
    ),
]


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),
        ("\rx", "'\rx"),
        # After a separator: a spreadsheet with `;` (or `,`) as its separator would make it a cell of its own.
        (";=HYPERLINK(1)", "';=HYPERLINK(1)"),
        ("Rees;=HYPERLINK(1)", "'Rees;=HYPERLINK(1)"),
        ("a, -2+3", "'a, -2+3"),
        ('x,"@SUM(A1)', "'x,\"@SUM(A1)"),
        ("x; \t1", "'x; \t1"),
        ("Rees, Hana; Lin", "Rees, Hana; Lin"),
        (-5, -5),
        (None, ""),
    ],
)
def test_csv_cell(value, written):
    assert csvfiles.cell(value) == written


def test_a_row_with_a_guarded_cell_is_quoted_so_no_separator_splits_it():
    line = csvfiles.Writer().writerow(["Ada", "Rees;=HYPERLINK(1)", 5, -2])
    assert line == '"Ada","\'Rees;=HYPERLINK(1)",5,-2\r\n'
    assert next(csv.reader([line])) == ["Ada", "'Rees;=HYPERLINK(1)", "5", "-2"]
    assert csvfiles.Writer().writerow(["Ada", 5]) == "Ada,5\r\n"  # ordinary rows as before


def test_no_csv_lets_a_spreadsheet_run_a_formula(cast, client_for):
    """Formulas in a team name, a manager's name, an insight and an alumnus's employer: every CSV HR
    downloads shows them as text."""
    from alumni.models import AlumniProfile
    from networks.models import Contribution

    cast.report_report.team.name = "=HYPERLINK(team)"
    cast.report_report.team.save()
    cast.report.last_name = "Ortiz;=HYPERLINK(manager)"
    cast.report.save()
    start = timezone.localdate() - datetime.timedelta(days=300)
    make_tour(cast.report_report, state="agreed", start=start, end=start + datetime.timedelta(days=330))
    Contribution.objects.create(
        contributor=cast.report_report, kind="market", title="@title", insight="-insight", visibility="everyone"
    )
    AlumniProfile.objects.filter(employee=cast.alumnus).update(current_employer="-employer+1")
    client = client_for("hr")
    cells = {}
    for url in CSV_URLS:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment;")
        cells[url] = {cell for row in read_csv(response) for cell in row}
        dangerous = [c for c in cells[url] if csvfiles.RISKY.search(c) and not c.startswith("'") and not _number(c)]
        assert not dangerous, f"{url}: {dangerous}"
    assert {"'@title", "'-insight", "'=HYPERLINK(team)"} <= cells[reverse("networks:export")]
    assert "'-employer+1" in cells[reverse("alumni:roster_csv")]
    assert "'=HYPERLINK(team)" in cells[reverse("tours:report_at_risk") + "?format=csv"]
    assert any("Ortiz;=HYPERLINK(manager)" in c for c in cells[CSV_URLS[5]])


def _number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture
def world(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the emails leave when the transaction commits
        return w.build(cast, client)


def test_files_are_downloads_not_pages(world, client_for):
    """The CSVs and the JSON export carry the payloads as they are, so they must never be rendered as HTML."""
    carried = {}
    for role, url, kind in [
        *(("hr", url, "text/csv") for url in CSV_URLS),
        ("alumnus", reverse("alumni:me_export"), "application/json"),
    ]:
        response = client_for(role).get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response["Content-Type"].startswith(kind), url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        carried[url] = b"<script>alert(" in body
    # These carry the user text; the reports' figures are counts per month, team or manager.
    assert carried[reverse("networks:export")] and carried[reverse("alumni:roster_csv")]
    assert carried[reverse("alumni:me_export")]


def test_emails_are_plain_text_on_one_subject_line(world):
    """Every email the world's actions sent (proposal, signatures, rating, reminders, invitation) is
    text/plain, so the raw text in it is never markup, and its subject is a single line."""
    assert len(mail.outbox) >= 5
    assert any("<script>alert(" in m.body for m in mail.outbox)  # user text reaches the emails
    for message in mail.outbox:
        assert message.content_subtype == "plain" and not message.alternatives
        assert "\n" not in message.subject and "\r" not in message.subject


def test_a_line_break_in_a_title_cannot_break_the_reminder_email(cast, mailoutbox, django_capture_on_commit_callbacks):
    """Reminders use the message (with the tour's title) as the subject; a line break in the title used to
    raise BadHeaderError after the commit, stopping send_reminders."""
    from tours import reminders

    start = timezone.localdate() - datetime.timedelta(days=300)
    make_tour(
        cast.report_report, state="agreed", start=start, end=timezone.localdate() + datetime.timedelta(days=10),
        title="Line one\nBcc: someone@evil.example",
    )  # fmt: skip
    # Both sides asked for every email at once (by default a reminder waits for the digest, whose subject is ours).
    type(cast.report.user).objects.update(mail="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_tour_reminders() >= 2
    subjects = [m.subject for m in mailoutbox]
    assert any("Line one Bcc: someone@evil.example" in s for s in subjects)
    assert all("\n" not in s for s in subjects)


def test_import_preview_escapes_the_file(cast, client_for):
    text = (
        "employee_number,first_name,last_name,email,hire_date,manager\n"
        f'N1,"{w.payload("first").replace(chr(34), chr(34) * 2)}","{w.payload("last").replace(chr(34), chr(34) * 2)}",'
        "n1@example.com,2020-01-01,<b>boss</b>\n"
        "N2,<script>x</script>,Doe,not-an-email,<script>date</script>,\n"
    )
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    response = client_for("hr").post(reverse("people:import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (w.shown("first"), w.shown("last"), "&lt;b&gt;boss&lt;/b&gt;", "&lt;script&gt;date&lt;/script&gt;"):
        assert shown in html
    assert "<script>x</script>" not in html and "<script>alert(" not in html and "<b>boss" not in html


REFLECTED = [
    ("hr", "people:list", {"q": "P", "manager": "P"}),
    ("hr", "tours:index", {"q": "P", "manager": "P"}),
    ("hr", "networks:index", {"q": "P", "tag": "P"}),
    ("hr", "networks:export", {"q": "P"}),
    ("hr", "alumni:roster", {"q": "P", "employer": "P", "location": "P"}),
    ("hr", "alumni:directory", {"employer": "P", "location": "P"}),
    ("hr", "tours:report_at_risk", {"manager": "P"}),
    ("hr", "tours:compare", {"a": "P"}),
    ("anonymous", "login", {"next": "P"}),
]


@pytest.mark.parametrize(("role", "name", "params"), REFLECTED, ids=[r[1] for r in REFLECTED])
def test_search_terms_are_escaped_when_echoed(cast, client_for, role, name, params):
    url = reverse(name, args=[make_tour(cast.report_report).pk]) if name == "tours:compare" else reverse(name)
    response = client_for(role).get(url, {key: w.payload("query") for key in params}, follow=True)
    html = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in (200, 404)
    if response["Content-Type"].startswith("text/html"):
        assert b"<script>alert(" not in html and b"<img src=x" not in html


def test_a_profile_link_must_be_a_web_address(cast, client_for):
    """The directory links to it: a javascript: URL would run when clicked."""
    response = client_for("alumnus").post(
        reverse("alumni:me_edit"), {"profile_url": "javascript:alert(1)//example.com", "listed": "on"}
    )
    assert response.status_code == 200
    assert "profile_url" in response.context["form"].errors
    cast.alumnus.alumni_profile.refresh_from_db()
    assert not cast.alumnus.alumni_profile.profile_url
