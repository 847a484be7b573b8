"""Every CSV the site hands out goes through here: a text cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) is prefixed with ' so it shows as text (CSV injection).
Numbers stay numbers, so a negative figure is still a figure."""

import csv
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Echo:
    """A file that hands back what is written, for streaming responses."""

    def write(self, value):
        return value


class Writer:
    """csv.writer whose rows are made safe cell by cell. Without a file, writerow() returns the line."""

    def __init__(self, file=None):
        self._writer = csv.writer(file if file is not None else _Echo())

    def writerow(self, row):
        return self._writer.writerow([cell(value) for value in row])
