/* ReDoc at /redoc, from the copy shipped in this package (web/vendor/redoc): no CDN, no fonts from
   elsewhere. */
"use strict";
(function () {
  const target = document.getElementById("redoc");
  window.Redoc.init(target.dataset.specUrl, { hideDownloadButton: false, disableSearch: false }, target);
})();
