// Starts Swagger UI on /api/docs. An external file, because the Content-Security-Policy allows no inline script.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null, // no calls to validator.swagger.io
  });
})();
