"""/scim/v2/: the paths identity providers call, with or without a trailing slash (Okta and Entra send none)."""

from django.urls import re_path

from scim import views

app_name = "scim"

urlpatterns = [
    re_path(r"^ServiceProviderConfig/?$", views.service_provider_config, name="config"),
    re_path(r"^ResourceTypes/?$", views.resource_types, name="resource_types"),
    re_path(r"^ResourceTypes/(?P<name>[^/]+)/?$", views.resource_types, name="resource_type"),
    re_path(r"^Schemas/?$", views.schemas, name="schemas"),
    re_path(r"^Schemas/(?P<urn>[^/]+)/?$", views.schemas, name="schema"),
    re_path(r"^Users/?$", views.users, name="users"),
    re_path(r"^Users/(?P<pk>[^/]+)/?$", views.user, name="user"),
    re_path(r"^Groups/?$", views.groups, name="groups"),
    re_path(r"^Groups/(?P<pk>[^/]+)/?$", views.group, name="group"),
]
