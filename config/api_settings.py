"""The REST API's settings (config/settings.py imports them): authentication, pages, throttles and the schema."""

import environ

env = environ.Env()  # config/settings.py has read .env into the environment by now

# The REST API (alliance.rest and alliance.restauth: authentication, pagination, throttles, ETags). A bearer
# token (alliance.tokens) or the browser's session (with CSRF, for the docs page); JSON only; cursor pages; every
# request throttled per token (or per signed-in user) in Django's default cache: per process (README "REST API").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alliance.restauth.BearerTokenAuthentication",
        "alliance.restauth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "alliance.restauth.Cursor",
    "DEFAULT_THROTTLE_CLASSES": ["alliance.restauth.ReadThrottle", "alliance.restauth.WriteThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests a token (or a signed-in person) may make: reads and writes counted apart ("<n>/<second|minute|hour|day>").
API_RATES = {"read": env("API_READ_RATE", default="600/minute"), "write": env("API_WRITE_RATE", default="60/minute")}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance API",
    "DESCRIPTION": "Tours of duty, check-ins, network intelligence, alumni and reports, with the same access "
    "rules as the pages. Send an API token (made on Your account) as `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set the resources share (a check-in's side is a signature's role; promises kept).
    "ENUM_NAME_OVERRIDES": {
        "PartyEnum": "tours.models.Signature.Role",
        "KeptEnum": "tours.models.Tour.Kept",
        "ObjectiveSideEnum": "tours.models.Objective.Side",
    },
}
