// Voting areas: show a refusal (403) or a bad-input answer (400) in place. htmx
// does not swap error responses by default; these carry a translated message.
(function () {
  "use strict";
  if (window.samatchaVoting) return;
  window.samatchaVoting = true;
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status !== 400 && status !== 403) return;
    var elt = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    if (elt && elt.closest && elt.closest("[data-swap-errors]")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
})();
