// What every page shares: the live socket's state, timers, buttons that show
// they are busy, and confirmation before an irreversible act.
// No eval, no inline handlers: htmx runs with allowEval false under the CSP.
(function () {
  "use strict";

  // --- Live pages: keep the room's socket open whatever closed it, and say so. ---
  // The htmx ws extension retries by itself only after codes 1006, 1011, 1012 and
  // 1013; every other close (a server restart's 1001, a proxy's 1000, ...) is
  // retried here with a backoff. 4401 (signed out) and 4403 (refused) are final.
  var SELF_RETRIED = [1006, 1011, 1012, 1013];
  var FINAL = [4401, 4403];
  var retries = 0;
  var openedBefore = false;

  function state(name) {
    document.body.dataset.live = name;
  }

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

  // A push may carry one row of a list alone (an amendment: agenda/live.py
  // push_amendment). It replaces the row with its id; a row this screen has
  // not got yet (htmx finds no target) goes at the end of the list its
  // data-append-to names, and the list's "nothing yet" line goes.
  document.addEventListener("htmx:oobErrorNoTarget", function (evt) {
    var elt = evt.detail && evt.detail.content;
    var listId = elt && elt.getAttribute && elt.getAttribute("data-append-to");
    var list = listId && document.getElementById(listId);
    if (!list) return;
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    list.appendChild(elt);
    htmx.process(elt);
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

  // --- Timers: the server sends the end time; screens only count to it. ---------
  // A speaker's timer (data-overtime) goes on counting past the end, shown as
  // "+0:12" in the overtime colour; a vote's countdown stops at 0:00 (the
  // server closes the vote).
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-ends-at]").forEach(function (el) {
      var ends = Date.parse(el.dataset.endsAt);
      if (isNaN(ends)) return;
      var offset = parseFloat(el.dataset.serverOffset || "0");
      var left = Math.round((ends - (now + offset)) / 1000);
      var over = left <= 0;
      if (!over) el.textContent = clock(left);
      else if (el.hasAttribute("data-overtime")) el.textContent = "+" + clock(-left);
      else el.textContent = clock(0);
      el.classList.toggle("is-over", over);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
  document.addEventListener("htmx:wsAfterMessage", tick);
  document.addEventListener("DOMContentLoaded", tick);

  // --- A target replaced while its request was in flight. ---------------------
  // A push (a vote opens or closes, a reconnect) may refetch a region while one
  // of its forms is waiting for its answer: htmx still holds the old, detached
  // target, and swapping into it can replace the whole page. The answer goes to
  // the element that carries the target's id now, or nowhere.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target;
    if (!target || target.isConnected) return;
    var fresh = target.id ? document.getElementById(target.id) : null;
    if (fresh) evt.detail.target = fresh;
    else evt.detail.shouldSwap = false;
  });

  // --- Busy buttons: a request in flight shows it and cannot be sent twice. -----
  var submitters = new WeakMap();

  document.addEventListener(
    "submit",
    function (evt) {
      if (evt.submitter) submitters.set(evt.target, evt.submitter);
    },
    true
  );

  function formOf(elt) {
    if (!elt) return null;
    if (elt.tagName === "FORM") return elt;
    return elt.closest ? elt.closest("form") : null;
  }

  function setBusy(form, busy) {
    if (!form) return;
    var submitter = submitters.get(form);
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
      if (busy) {
        if (button.disabled) return; // disabled by the page: leave it so
        button.disabled = true;
        button.dataset.busyDisabled = "1";
      } else if (button.dataset.busyDisabled) {
        button.disabled = false;
        delete button.dataset.busyDisabled;
      }
    });
    var shown = submitter || form.querySelector("button[type=submit], button:not([type])");
    if (shown) {
      if (busy) shown.setAttribute("aria-busy", "true");
      else shown.removeAttribute("aria-busy");
    }
    if (busy) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var verb = (evt.detail.requestConfig && evt.detail.requestConfig.verb) || "";
    if (verb.toLowerCase() === "get") return;
    setBusy(formOf(evt.detail.elt), true);
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    setBusy(formOf(evt.detail.elt), false);
  });

  // A plain form (no htmx): marked busy until the next page; a second submit is
  // dropped. Its buttons are not disabled (that would drop the submitter's value).
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (evt.defaultPrevented || form.hasAttribute("hx-post") || form.method === "dialog") return;
    if (form.dataset.busy) {
      evt.preventDefault();
      return;
    }
    form.dataset.busy = "1";
    var shown = evt.submitter || form.querySelector("button[type=submit]");
    if (shown) shown.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      delete form.dataset.busy;
      form.querySelectorAll("[aria-busy]").forEach(function (b) {
        b.removeAttribute("aria-busy");
      });
    });
  });

  // --- Confirmation before an irreversible act. -----------------------------------
  // data-confirm="what will happen" on a form or its button; data-confirm-ok
  // names the act on the dialog's button; data-confirm-danger colours it red.
  function confirmSource(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) return submitter;
    if (form && form.hasAttribute("data-confirm")) return form;
    return null;
  }

  function ask(source, proceed) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(source.dataset.confirm)) proceed();
      return;
    }
    var ok = dialog.querySelector("#confirm-ok");
    if (!ok.dataset.defaultLabel) ok.dataset.defaultLabel = ok.textContent;
    dialog.querySelector("#confirm-text").textContent = source.dataset.confirm;
    ok.textContent = source.dataset.confirmOk || ok.dataset.defaultLabel;
    dialog.classList.toggle("is-danger", source.hasAttribute("data-confirm-danger"));
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      function () {
        if (dialog.returnValue === "ok") proceed();
      },
      { once: true }
    );
    dialog.showModal();
  }

  // The submitter's name and value, kept for a request sent after the dialog.
  function keepSubmitterValue(form, submitter) {
    if (!form || !submitter || !submitter.name) return;
    var kept = form.querySelector("input[data-kept-submitter]");
    if (!kept) {
      kept = document.createElement("input");
      kept.type = "hidden";
      kept.setAttribute("data-kept-submitter", "");
      form.appendChild(kept);
    }
    kept.name = submitter.name;
    kept.value = submitter.value;
  }

  // The same act on a part of the page swapped in while the dialog was open:
  // the form with the same hx-post (a vote's close, refreshed when a ballot came
  // in). htmx sends nothing for an element no longer in the page, so without
  // this a confirmed close would be lost without a word.
  function sameFormNow(elt) {
    var path = elt.getAttribute("hx-post");
    if (!path || elt.tagName !== "FORM") return null;
    var forms = document.querySelectorAll("form[hx-post]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].getAttribute("hx-post") === path) return forms[i];
    }
    return null;
  }

  document.addEventListener("htmx:confirm", function (evt) {
    var elt = evt.detail.elt;
    if (elt.dataset && elt.dataset.confirmedNow) {  // asked already (see below)
      delete elt.dataset.confirmedNow;
      return;
    }
    var trigger = evt.detail.triggeringEvent;
    var form = formOf(elt);
    var submitter = (trigger && trigger.submitter) || (form && submitters.get(form));
    var source = confirmSource(form, submitter);
    if (!source) return;
    evt.preventDefault();
    ask(source, function () {
      if (document.body.contains(elt)) {
        keepSubmitterValue(form, submitter);
        evt.detail.issueRequest(true);
        return;
      }
      var fresh = sameFormNow(elt);
      if (!fresh) return;  // the act is no longer offered: the page says why
      keepSubmitterValue(fresh, submitter);
      fresh.dataset.confirmedNow = "1";
      fresh.requestSubmit();
    });
  });

  document.addEventListener(
    "submit",
    function (evt) {
      var form = evt.target;
      if (form.hasAttribute("hx-post") || form.dataset.confirmed) return;
      var source = confirmSource(form, evt.submitter);
      if (!source) return;
      evt.preventDefault();
      evt.stopImmediatePropagation();
      var submitter = evt.submitter;
      ask(source, function () {
        form.dataset.confirmed = "1";
        if (submitter) form.requestSubmit(submitter);
        else form.requestSubmit();
      });
    },
    true
  );
})();
