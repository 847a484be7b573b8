from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("<int:pk>/", views.workspace_view, name="workspace"),
    path("<int:pk>/points/", views.point_add, name="point_add"),
    path("<int:pk>/note/", views.note_save, name="note_save"),
    path("<int:pk>/met/", views.we_met, name="we_met"),
    path("points/<int:pk>/covered/", views.point_cover, name="point_cover"),
    path("points/<int:pk>/delete/", views.point_delete, name="point_delete"),
]
