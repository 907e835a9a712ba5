/* Swagger UI at /docs, from the copy shipped in this package (web/vendor/swagger-ui): no CDN. */
"use strict";
(function () {
  const target = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: target.dataset.specUrl,
    domNode: target,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null, // never ask an outside validator about the schema
  });
})();
