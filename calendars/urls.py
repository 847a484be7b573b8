from django.urls import path

from calendars import views

app_name = "calendars"

urlpatterns = [
    path("link/", views.link, name="link"),
    path("tour/<int:pk>.ics", views.tour_ics, name="tour"),
    path("event/<int:pk>.ics", views.event_ics, name="event"),
    path("<str:secret>.ics", views.feed_view, name="feed"),
]
