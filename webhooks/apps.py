from django.apps import AppConfig

from alliance.events import domain_event


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from alliance.worker import tidy_step  # why: the worker imports models, which are only ready now
        from webhooks.delivery import (  # why: it imports the models, loaded only once apps are ready
            forget_old_messages,
            on_domain_event,
        )

        domain_event.connect(on_domain_event, dispatch_uid="webhooks.on_domain_event")
        # The worker's housekeeping deletes the delivery log's messages older than WEBHOOKS_LOG_DAYS.
        tidy_step("webhooks.log", forget_old_messages)
