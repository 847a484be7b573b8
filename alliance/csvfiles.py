"""Every CSV the site hands out goes through here, guarded against CSV (formula) injection as OWASP's guidance
says. A text cell a spreadsheet would run as a formula is prefixed with ' so it shows as text: one that starts
with = + - @, a tab or a carriage return, and one that holds such a character right after a separator (`,` or
`;`, spaces or quotes between): a spreadsheet opened with `;` as its separator (most of Europe) splits
`x;=HYPERLINK(…)` into a cell of its own. The row holding such a cell is written with every text cell in double
quotes, so no spreadsheet splits it at all. Numbers stay numbers, so a negative figure is still a figure."""

import csv
import re
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = "=+\\-@\t\r"
RISKY = re.compile(rf"^[{_FORMULA}]|[,;][\s\"']*[{_FORMULA}]")


def cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return f"'{text}" if RISKY.search(text) else text


class _Echo:
    """A file that hands back what is written, for streaming responses."""

    def write(self, value):
        return value


class Writer:
    """csv.writer whose rows are made safe cell by cell. Without a file, writerow() returns the line."""

    def __init__(self, file=None):
        file = file if file is not None else _Echo()
        self._writer = csv.writer(file)
        self._quoting = csv.writer(file, quoting=csv.QUOTE_NONNUMERIC)  # for rows with a guarded cell

    def writerow(self, row):
        cells = [cell(value) for value in row]
        guarded = any(isinstance(c, str) and c.startswith("'") for c in cells)
        return (self._quoting if guarded else self._writer).writerow(cells)
