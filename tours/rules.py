"""The type rules of domain.md, in one place: forms show these messages, services enforce them."""

import datetime

from tours.models import TRANSFORMATIONAL_YEARS, Tour
from tours.schedule import add_months


def rotational_end(programme, start):
    return add_months(start, programme.length_months) - datetime.timedelta(days=1)


def terms_problems(*, tour_type, programme, start, end, length_reason):
    """A list of (field, message) for terms that break the rules of the tour's type."""
    problems = []
    if tour_type == Tour.Type.ROTATIONAL:
        if programme is None:
            problems.append(("programme", "A rotational tour comes from a programme: choose one."))
        elif start and end and end != rotational_end(programme, start):
            problems.append(
                ("end_date", f"A rotational tour keeps its programme's length ({programme.length_months} months).")
            )
    if tour_type == Tour.Type.TRANSFORMATIONAL:
        if end is None:
            problems.append(("end_date", "A transformational tour needs a planned end date."))
        elif start and end > start:
            shortest, longest = (add_months(start, 12 * years) for years in TRANSFORMATIONAL_YEARS)
            if not (shortest <= end + datetime.timedelta(days=1) <= longest) and not length_reason.strip():
                problems.append(
                    ("length_reason", "This tour is shorter than 2 or longer than 5 years: say why in a sentence.")
                )
    if tour_type == Tour.Type.FOUNDATIONAL and end is not None:
        problems.append(("end_date", "A foundational tour is open-ended: leave the end date empty."))
    if start and end and end <= start:
        problems.append(("end_date", "The end date must be after the start date."))
    return problems
