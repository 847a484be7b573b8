"""Logging filters."""

import logging


class ForbiddenOneLine(logging.Filter):
    """Django logs every 403 ("Forbidden (Permission denied): /path") with the PermissionDenied traceback: dozens
    of lines for an expected refusal, which bury real errors. Keep the one warning line, drop the traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info, record.exc_text = None, None
        return True
