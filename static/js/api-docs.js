"use strict";
// The API docs page (/api/v1/docs/): Swagger UI from drf-spectacular-sidecar, started from this file rather than an
// inline script, so the Content Security Policy keeps script-src 'self'. The page's data attributes carry the schema's
// URL and the CSRF token: "Try it out" runs as the signed-in person (their session), and a write sends the token.
(function () {
  const root = document.getElementById("swagger-ui");
  const csrfToken = root.dataset.csrfToken;

  // Swagger UI titles the page with an <h1> and its sections with <h3>: the page's own <h1> comes first, and the
  // API's title and description are shown here as an <h2>, so headings go down one level at a time.
  const PlainInfo = (system) => ({
    components: {
      info: ({ info }) => {
        const h = system.React.createElement;
        return h("section", { className: "info", "aria-label": "About the API" },
          h("h2", { className: "title" }, `${info.get("title")} (version ${info.get("version")})`),
          h("p", { className: "description" }, info.get("description")));
      },
    },
  });

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [PlainInfo],
    layout: "BaseLayout",
    // Without deep links an operation's path is plain text, not a link nested inside its toggle button.
    deepLinking: false,
    // Plain JSON in the examples and answers: the highlighter's colours fall below AA contrast on its dark background.
    syntaxHighlight: { activated: false },
    requestInterceptor: (request) => {
      const sameSite = new URL(request.url, document.baseURI).origin === window.location.origin;
      if (sameSite && !["GET", "HEAD", undefined].includes(request.method)) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
