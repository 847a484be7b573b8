"""Django's database sessions, read with SQL compiled once (SESSION_ENGINE = "alliance.sessions").

Every signed-in request reads its session; compiling that one-table query cost more CPU than PostgreSQL spent
running it. Writes, expiry and `clearsessions` are Django's own."""

import datetime
import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

NOW, KEY = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), "placeholder-session-key"  # compiled with these


@functools.lru_cache(maxsize=4)
def _query(model, alias):
    """The SQL of Django's own lookup, and where its key and time parameters go."""
    queryset = model.objects.using(alias).filter(session_key=KEY, expire_date__gt=NOW)
    sql, params = queryset.values_list("session_data").query.sql_with_params()
    assert len(params) == 2 and KEY in params  # the key and the time, nothing else
    return sql, [KEY if p == KEY else NOW for p in params]


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        sql, order = _query(model, alias)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key if p == KEY else now for p in order])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
