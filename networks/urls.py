from django.urls import path

from networks import reports
from networks.views import contributions, events, export, fund

app_name = "networks"

urlpatterns = [
    path("", contributions.feed, name="index"),
    path("export.csv", export.export, name="export"),
    path("mine/", contributions.mine, name="mine"),
    path("to-rate/", contributions.to_rate, name="to_rate"),
    path("new/", contributions.create, name="create"),
    path("<int:pk>/", contributions.detail, name="detail"),
    path("<int:pk>/edit/", contributions.edit, name="edit"),
    path("<int:pk>/delete/", contributions.delete, name="delete"),
    path("<int:pk>/rate/", contributions.rate, name="rate"),
    path("reports/", reports.network_report, name="report"),
    path("fund/", fund.my_fund, name="fund"),
    path("fund/spend/", fund.spend_create, name="spend"),
    path("fund/team/", fund.team_fund, name="team_fund"),
    path("fund/budgets/", fund.budgets, name="budgets"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_edit, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/attend/", events.event_attend, name="event_attend"),
]
