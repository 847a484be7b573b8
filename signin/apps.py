from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = "Company sign-in"

    def ready(self):
        # Connects the sign-in, failure and second-factor signals to the sign-in log and to django-axes.
        from signin import checks, receivers  # noqa: F401  # why: receivers and checks register on import, apps ready
