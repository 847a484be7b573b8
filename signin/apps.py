from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = "Company sign-in"

    def ready(self):
        # Connects the sign-in, failure and second-factor signals to the sign-in log and to django-axes.
        from alliance.worker import tidy_step  # why: the worker imports models, which are only ready now
        from signin import checks, receivers  # noqa: F401  # why: receivers and checks register on import, apps ready
        from signin.events import forget_old  # why: it imports the models, loaded only once apps are ready

        # The worker's housekeeping deletes the log's rows older than SIGNIN_LOG_DAYS.
        tidy_step("signin.log", forget_old)
