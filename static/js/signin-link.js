// The sign-in page of a personal link (/s/#<token>). The token is in the URL's
// fragment, which browsers never send to a server: nothing logs it. Here it is
// moved into the form (posted in the body), and taken out of the address bar
// and the history. Without JavaScript a person pastes the code instead.
(function () {
  "use strict";
  var field = document.getElementById("sign-in-code");
  var token = window.location.hash.replace(/^#/, "");
  if (!field || !token) return;
  field.value = decodeURIComponent(token);
  history.replaceState(null, "", window.location.pathname + window.location.search);
  var entry = document.getElementById("code-entry");
  var ready = document.getElementById("link-ready");
  if (entry && ready) {
    entry.hidden = true;
    ready.hidden = false;
  }
})();
