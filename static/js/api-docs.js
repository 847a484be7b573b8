"use strict";
// The API docs page (/api/v1/docs/): Swagger UI from drf-spectacular-sidecar, started from this file rather than an
// inline script, so the Content Security Policy keeps script-src 'self'. The page's data attributes carry the schema's
// URL and the CSRF token: "Try it out" runs as the signed-in person (their session), and a write sends the token.
(function () {
  const root = document.getElementById("swagger-ui");
  const csrfToken = root.dataset.csrfToken;
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    requestInterceptor: (request) => {
      const sameSite = new URL(request.url, document.baseURI).origin === window.location.origin;
      if (sameSite && !["GET", "HEAD", undefined].includes(request.method)) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
