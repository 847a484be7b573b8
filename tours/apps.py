from django.apps import AppConfig


class ToursConfig(AppConfig):
    name = "tours"
    verbose_name = "Tours of duty"

    def ready(self):
        from alliance.querysets import PERSON_CONDITIONS  # why: registry, filled once the apps are loaded
        from tours.reports import covered_on  # why: reports import models, which are only ready now

        PERSON_CONDITIONS["covered"] = covered_on
