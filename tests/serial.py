"""One request at a time on the test live server when the database is in-memory SQLite.

pytest-django's live server shares the test's single in-memory SQLite connection with its threads, and a page
that fires two requests at once (the person picker's search while a form is saved) used it from two threads:
`sqlite3.InterfaceError: bad parameter or other API misuse`. File databases and PostgreSQL give each thread its
own connection and are left alone."""

import threading

from django.db import connection

_lock = threading.RLock()


class SerialRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            with _lock:
                return self.get_response(request)
        return self.get_response(request)
