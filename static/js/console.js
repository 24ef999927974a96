// The facilitator's console: the console bar (the vote, the amendments waiting,
// who speaks) kept current from the page's own regions; a visible signal when an
// amendment arrives; "prepare a vote" showing only the options of its kind.
(function () {
  "use strict";

  var lastPending = null;
  var lastNewest = null;
  var baseTitle = document.title;

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // --- The amendment queue: a count, and a signal when one arrives. -------------
  function noteQueue() {
    var queue = document.getElementById("amendment-queue");
    if (!queue) return;
    var pending = parseInt(queue.dataset.pending || "0", 10);
    var newest = queue.dataset.newest || "";
    var bar = document.querySelector("[data-bar-queue]");
    if (bar) {
      bar.textContent = String(pending);
      bar.classList.toggle("is-zero", pending === 0);
    }
    document.title = (pending ? "(" + pending + ") " : "") + baseTitle;
    var arrived = lastNewest !== null && newest && newest !== lastNewest && pending >= (lastPending || 0);
    if (arrived) {
      [queue, document.querySelector(".bar-queue")].forEach(function (el) {
        if (!el) return;
        el.classList.remove("has-new");
        void el.offsetWidth; // restart the animation
        el.classList.add("has-new");
      });
      var fresh = queue.querySelector('[data-amendment="' + newest + '"]');
      if (fresh) fresh.classList.add("is-new");
    }
    lastPending = pending;
    lastNewest = newest;
  }

  // --- The console bar: the vote and the speaker, read from their regions. ------
  function noteVote() {
    var out = document.querySelector("[data-bar-vote]");
    if (!out) return;
    var result = document.getElementById("vote-result");
    var state = result ? result.dataset.state : "";
    var item = out.closest(".console-bar-item");
    if (state === "open") {
      out.textContent = text(result.querySelector(".vote-state .badge")) + " · " + text(result.querySelector(".vote-participation"));
    } else if (state === "closed") {
      out.textContent = text(result.querySelector(".vote-verdict")) || text(result.querySelector(".vote-state .badge"));
    } else {
      out.textContent = "—";
    }
    if (item) item.dataset.state = state || "none";
  }

  function noteSpeaker() {
    var out = document.querySelector("[data-bar-speaker]");
    if (!out) return;
    var speaking = document.querySelector("#speakers .speaking");
    out.textContent = speaking ? text(speaking.querySelector(".speaker-name")) : "—";
    var timer = speaking && speaking.querySelector(".timer");
    var item = out.closest(".console-bar-item");
    if (item) item.classList.toggle("is-over", !!(timer && timer.classList.contains("is-over")));
  }

  // --- Prepare a vote: only the options of the chosen kind. -----------------------
  function showKind(form) {
    var select = form.querySelector("[data-kind-select]");
    if (!select) return;
    var kind = select.value;
    form.querySelectorAll("[data-for-kind]").forEach(function (el) {
      var kinds = el.dataset.forKind.split(" ");
      var on = kinds.indexOf(kind) >= 0;
      el.hidden = !on;
      el.querySelectorAll("select, input").forEach(function (field) {
        field.disabled = !on; // not sent: the server sees only what applies
      });
    });
    var secret = form.querySelector("[data-secret]");
    var live = form.querySelector("[data-results-live]");
    if (secret && live) {
      // A secret ballot shows only turnout until it closes.
      if (secret.checked) live.checked = false;
      live.disabled = secret.checked;
    }
  }

  function setUpForms() {
    document.querySelectorAll("form.vote-new-form").forEach(function (form) {
      if (!form.dataset.kindFollowed) {
        form.dataset.kindFollowed = "1";
        form.addEventListener("change", function () {
          showKind(form);
        });
      }
      showKind(form);
    });
  }

  function update() {
    noteQueue();
    noteVote();
    noteSpeaker();
    setUpForms();
  }

  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("htmx:oobAfterSwap", update);
  document.addEventListener("htmx:wsAfterMessage", update);
  setInterval(noteSpeaker, 1000);
})();
