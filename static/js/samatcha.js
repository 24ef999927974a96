// Live pages: keep the room's socket open whatever closed it, and say so.
// The htmx ws extension retries by itself only after codes 1006, 1011, 1012 and
// 1013; every other close (a server restart's 1001, a proxy's 1000, ...) is
// retried here with a backoff. 4401 (signed out) and 4403 (refused) are final.
(function () {
  "use strict";
  var SELF_RETRIED = [1006, 1011, 1012, 1013];
  var FINAL = [4401, 4403];
  var retries = 0;

  function state(name) {
    document.body.dataset.live = name;
  }

  var openedBefore = false;

  document.addEventListener("htmx:wsOpen", function () {
    // Any open after the first is a reconnect, whatever the state showed.
    var wasReconnect = openedBefore;
    openedBefore = true;
    retries = 0;
    state("open");
    // Parts that differ per person (a ballot form, facilitator controls) fetch
    // their own current version after a reconnect.
    if (wasReconnect) htmx.trigger(document.body, "samatcha:resync");
  });

  document.addEventListener("htmx:wsClose", function (evt) {
    var code = evt.detail.event.code;
    if (FINAL.indexOf(code) >= 0) {
      state("signed-out");
      return;
    }
    state("reconnecting");
    if (SELF_RETRIED.indexOf(code) >= 0) return;
    var delay = Math.min(30000, 500 * Math.pow(2, retries++)) * (0.5 + Math.random());
    var elt = evt.target;
    setTimeout(function () {
      // The page swapped the socket's element away meanwhile: nothing to keep.
      if (!document.body.contains(elt)) return;
      evt.detail.socketWrapper.reconnect();
    }, delay);
  });

  document.addEventListener("htmx:wsAfterMessage", function (evt) {
    var msg = evt.detail.message || "";
    if (msg.indexOf('id="live-paused"') >= 0) state("paused");
    // A push arrived: live updates flow again.
    else if (document.body.dataset.live === "paused") state("open");
  });

  // A socket cannot tell that the server's pushes stopped (Redis down); the
  // server that handled a write can, and says so in every response's
  // Samatcha-Live header (assembly/middleware.py LiveStatusMiddleware).
  document.addEventListener("htmx:afterRequest", function (evt) {
    var xhr = evt.detail.xhr;
    if (!xhr || !xhr.getResponseHeader) return;
    var live = xhr.getResponseHeader("Samatcha-Live");
    var now = document.body.dataset.live;
    if (live === "paused" && now !== "signed-out") state("paused");
    else if (live === "ok" && now === "paused") state("open");
  });

  // Countdowns: the server sends the end time; screens only count down to it.
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-ends-at]").forEach(function (el) {
      var ends = Date.parse(el.dataset.endsAt);
      var offset = parseFloat(el.dataset.serverOffset || "0");
      var left = Math.max(0, Math.round((ends - (now + offset)) / 1000));
      var m = Math.floor(left / 60);
      var s = left % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      el.classList.toggle("is-over", left === 0);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
  document.addEventListener("htmx:wsAfterMessage", tick);
})();
