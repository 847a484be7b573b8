from django.apps import AppConfig

from alliance.events import domain_event


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from webhooks.delivery import on_domain_event  # why: it imports the models, loaded only once apps are ready

        domain_event.connect(on_domain_event, dispatch_uid="webhooks.on_domain_event")
