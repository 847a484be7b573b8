from django.urls import path

from alumni import views

app_name = "alumni"

urlpatterns = [
    path("", views.index, name="index"),
]
