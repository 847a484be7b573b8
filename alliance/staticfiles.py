"""The few files the pages use from the npm packages, and nothing else of them.

A plain STATICFILES_DIRS entry for `node_modules/bootstrap/dist` and the icons' folder made collectstatic
copy (and whitenoise compress and serve) 59 MB: every Bootstrap variant and 2,000 SVGs that the pages never
ask for. VendorFinder finds and lists only the files named in the VENDOR_STATIC setting:
{url prefix: (folder, [files under it])}. The icons are not static files at all: {% icon %} inlines them
(alliance/templatetags/ui.py reads ICONS_DIR)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder, BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage


class AppFinder(AppDirectoriesFinder):
    """Django's finder of the apps' `static/` folders, minus the apps in STATIC_SKIP_APPS: Django REST framework's
    browsable API (the API renders JSON only) and drf-spectacular-sidecar's Swagger UI and Redoc builds, of which
    the API docs page uses three files, listed in VENDOR_STATIC instead."""

    def __init__(self, app_names=None, *args, **kwargs):
        if app_names is None:
            skip = set(settings.STATIC_SKIP_APPS)
            app_names = [config.name for config in apps.get_app_configs() if config.name not in skip]
        super().__init__(app_names, *args, **kwargs)


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = []  # (prefix, folder, files, storage)
        for prefix, (folder, files) in settings.VENDOR_STATIC.items():
            storage = FileSystemStorage(location=folder)
            storage.prefix = prefix
            self.sources.append((prefix, Path(folder), set(files), storage))

    def check(self, **kwargs):
        return [
            Warning(
                f"{folder / name} (VENDOR_STATIC) does not exist: `make run` installs it (npm ci)", id="alliance.W001"
            )
            for _, folder, files, _ in self.sources
            for name in sorted(files)
            if not (folder / name).is_file()
        ]

    def find(self, path, find_all=False):
        matches = [
            str(folder / path.removeprefix(f"{prefix}/"))
            for prefix, folder, files, _ in self.sources
            if path.startswith(f"{prefix}/") and path.removeprefix(f"{prefix}/") in files
        ]
        return matches[0] if matches and not find_all else matches  # [] for "not found", as Django's finders

    def list(self, ignore_patterns):
        for _, _, files, storage in self.sources:
            for name in sorted(files):
                if storage.exists(name):
                    yield name, storage
