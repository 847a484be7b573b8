"""Every model in the project, and what erasure (portal/privacy.py) does to its rows about the person.

A model added without a line here fails this test: whoever adds a table decides, and writes down, whether it can
hold a person's name, address or words and how erasure reaches it (then extends tests/alumni/test_erasure.py,
which fills each of these places for one person, erases her and reads every column of every table)."""

from django.apps import apps

ERASURE = {
    "admin.LogEntry": "her records' entries renamed 'Former employee #N', messages cleared; her name scrubbed",
    "auth.Permission": "no personal data",
    "auth.Group": "no personal data (membership rows go with the sign-in's groups)",
    "contenttypes.ContentType": "no personal data",
    "sessions.Session": "every session of hers deleted (signed out everywhere)",
    "axes.AccessFailureLog": "rows for any address she used deleted",
    "axes.AccessAttempt": "rows for any address she used deleted",
    "axes.AccessAttemptExpiration": "no text; goes with its attempt",
    "axes.AccessLog": "rows for any address she used deleted",
    "alliance.OutgoingEmail": "unsent emails naming her deleted (queued or in a running batch); sent ones are empty",
    "alliance.ResetRequest": "keyed digests of an address typed and a client address, unreadable; gone in an hour",
    "alliance.WorkerHeartbeat": "no personal data (worker id, host, pid)",
    "alliance.User": "address 'erased-N@invalid', names cleared, unusable password, inactive",
    "alliance.Team": "no personal data",
    "alliance.Organization": "no personal data",
    "alliance.CompanyValue": "no personal data",
    "alliance.Employee": "renamed 'Former employee #N', number 'erased-N', job title and alignment answers cleared",
    "alliance.Notification": "hers deleted; others' naming her scrubbed, others' about her tours reworded",
    "alliance.SignInLink": "a token hash and dates; the person's own row (no text)",
    "alliance.ImportJob": "lines of a kept file naming her removed, problems naming her removed",
    "tours.Programme": "HR's templates: no personal data",
    "tours.Tour": "her tours: title and end reason replaced; state, dates, outcome kept for reports",
    "tours.TourRevision": "her tours' terms erased",
    "tours.Objective": "her tours' objectives erased",
    "tours.Signature": "role and date only",
    "tours.Comment": "on her tours, and hers anywhere: erased",
    "tours.CheckIn": "notes on her tours and her own notes as a manager cleared",
    "tours.CheckInProgress": "as check-ins",
    "tours.SentReminder": "a kind and a key of ids",
    "networks.Tag": "no personal data",
    "networks.Contribution": "source cleared; her name scrubbed from title, text, outcome (kept: work for the company)",
    "networks.FundPolicy": "no personal data",
    "networks.FundBudget": "amounts only",
    "networks.FundSpend": "note cleared; amounts kept for the fund reports",
    "networks.Event": "no personal data (written by HR and managers about the event)",
    "networks.Attendance": "no text",
    "alumni.AlumniProfile": "deleted",
    "alumni.Departure": "exit notes and rehire reason cleared; date and category kept",
    "alumni.Invitation": "deleted",
    "alumni.Rehire": "reason cleared",
    "alumni.Referral": "referrer link removed, her name scrubbed (the candidate is a third party)",
    "alumni.ProfileReminder": "a quarter and a profile id",
    "audit.HistoricalUser": "her rows deleted; one row records the erasure",
    "audit.HistoricalEmployee": "her rows deleted; one row records the erasure",
    "audit.HistoricalTeam": "no personal data",
    "audit.HistoricalOrganization": "no personal data",
    "audit.HistoricalCompanyValue": "no personal data",
    "audit.HistoricalTour": "her tours' history takes the erased wording",
    "audit.HistoricalContribution": "her insights' history deleted",
    "audit.HistoricalAlumniProfile": "deleted",
    "audit.HistoricalDeparture": "deleted",
    "audit.HistoricalRehire": "her rows' reasons cleared",
    "audit.HistoricalReferral": "the referrer removed",
    "webhooks.Endpoint": "HR's configuration (a URL, HR's description of a system); names no one",
    "webhooks.Message": "ids and plain values only (an event's type, ids, dates, states): no name or text",
    "webhooks.Attempt": "an HTTP status or a network error and a time",
    "calendars.CalendarFeed": "a random key; hers deleted (her feed's link stops working)",
    "django_tasks_database.DBTaskResult": "rows naming her (a reset's address, a traceback) deleted; running: emptied",
}


def test_every_model_says_what_erasure_does_to_it():
    models = {model._meta.label for model in apps.get_models()}
    assert sorted(models - ERASURE.keys()) == [], "a new model: say what erasure does to it (and test it)"
    assert sorted(ERASURE.keys() - models) == [], "a model that is gone: remove its line"
