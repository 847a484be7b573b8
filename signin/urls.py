from django.urls import path

from signin import views

app_name = "signin"
urlpatterns = [
    path("people/<int:pk>/second-factor/reset/", views.second_factor_reset, name="reset"),
    path("audit/sign-ins/", views.sign_in_log, name="log"),
]
