from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: pages and commands that assemble the other apps (dashboards, the reports index, the
    person page, the demo, the daily commands, an alumna's export and erasure). Nothing imports it."""

    name = "portal"
    verbose_name = "Portal"
