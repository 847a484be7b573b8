"""Issue 21, item 4: the printed agreement (Chromium's own PDF, A4) keeps the signature block with the last
terms: never alone at the top of a page. Each page's text is read back from the PDF (pypdf)."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_tour
from tours.models import TourRevision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_TERMS = "Employee aspirations it serves"  # the last heading of the terms above the signatures


def pages_of(page, url):
    page.goto(url)
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    return [p.extract_text() for p in reader.pages]


def test_a_standard_agreement_prints_with_its_signatures_next_to_the_last_terms(page, demo):
    sign_in(page, "employee@example.com", "alliance-demo")
    texts = pages_of(page, f"/tours/{demo.agreed.pk}/print/")
    [signatures] = [n for n, text in enumerate(texts) if "Signatures" in text]
    assert LAST_TERMS in texts[signatures]  # kept with the last terms
    assert "Signature" in texts[-1] and signatures == len(texts) - 1
    assert len(texts) <= 2, f"{len(texts)} pages"
    # Signed by both: the dates are printed.
    assert texts[signatures].count("Signed ") == 2


def test_a_long_agreement_never_leaves_the_signatures_alone_on_a_page(page, cast):
    """Long terms that fill page one exactly as far as the signatures would go: the signatures take the last
    terms with them to the next page rather than sitting there alone."""
    tour = make_tour(cast.report, state="agreed")
    revision = tour.current_revision
    sign_in(page, "report@test.example", PASSWORD)
    for lines in range(8, 40, 4):
        TourRevision.objects.filter(pk=revision.pk).update(mission="\n".join(["A long mission line."] * lines))
        texts = pages_of(page, f"/tours/{tour.pk}/print/")
        [signatures] = [n for n, text in enumerate(texts) if "Signatures" in text]
        assert LAST_TERMS in texts[signatures], (lines, texts[signatures][:200])
