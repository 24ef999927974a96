// The delegate's ballot: sent in place, never lost, never sent twice.
//
// A choice is sent with fetch (not a page load), and whatever becomes of it is
// said inside the ballot area, in the page's language (the sentences are data-msg-*
// attributes of .ballot-area, translated by the server), the page staying as it is:
// - counted (200) or refused (400, 403, 409, 401): the server's fragment is swapped
//   in (#ballot-status of contract 2, or the whole ballot area);
// - no connection, or the server failed (5xx): the ballot is kept on this phone
//   (localStorage), shown as "not sent yet", and sent again when the connection
//   returns (online, the socket reopening, a timer) while its vote is open;
// - a CSRF failure (403 without a fragment) or a lost session: kept, with a way out.
// The organisation holds one ballot per vote (the last choice counts), so sending
// the same ballot again after an answer was lost still counts it once.
// Serious concerns and a block ask for the reason before anything is sent.
(function () {
  "use strict";

  var KEY = "samatcha:ballot:";
  var RETRY_MAX = 30000;
  var inFlight = false;
  var retryTimer = null;
  var retryDelay = 2000;
  var asked = null; // the choice waiting for its reason
  var seenPoll = null; // the open vote last shown, to bring a new one into view

  function area() {
    return document.querySelector(".ballot-area");
  }
  function ballotEl() {
    return document.getElementById("ballot");
  }
  function msg(name) {
    var a = area();
    return (a && a.getAttribute("data-msg-" + name)) || "";
  }
  function room() {
    var a = area();
    return a ? a.dataset.room : "";
  }

  // --- The ballot kept on this phone until the server answered. ----------------
  function loadPending() {
    try {
      var raw = window.localStorage.getItem(KEY + room());
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }
  function savePending(ballot) {
    try {
      window.localStorage.setItem(KEY + room(), JSON.stringify(ballot));
    } catch (e) {
      /* private mode: kept in memory only */
    }
    memoryPending = ballot;
  }
  function dropPending() {
    try {
      window.localStorage.removeItem(KEY + room());
    } catch (e) {
      /* nothing kept */
    }
    memoryPending = null;
    clearTimeout(retryTimer);
    retryTimer = null;
    retryDelay = 2000;
  }
  var memoryPending = null;
  function pending() {
    return loadPending() || memoryPending;
  }

  // --- What the ballot area shows. -----------------------------------------------
  function openPoll() {
    var open = document.querySelector("#ballot .ballot-open[data-poll]");
    return open ? open.dataset.poll : null;
  }
  function form() {
    return document.querySelector("#ballot .ballot-form");
  }
  function statusEl() {
    return document.getElementById("ballot-status");
  }

  function say(state, text, action) {
    var el = statusEl();
    if (!el) {
      el = document.createElement("div");
      el.id = "ballot-status";
      el.className = "ballot-status notice";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      var b = ballotEl();
      if (!b) return;
      b.appendChild(el);
    }
    el.dataset.state = state;
    el.textContent = text;
    if (state === "pending" || state === "refused") el.scrollIntoView({ block: "nearest" });
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      el.appendChild(document.createTextNode(" "));
      el.appendChild(button);
    }
  }

  // The buttons follow the organisation's counted choice (data-choice of the
  // status), whoever of its delegates cast it.
  function syncChoice() {
    var el = statusEl();
    var f = form();
    if (!el || !f || el.dataset.state === "pending" || el.dataset.state === "sending") return;
    if (el.dataset.state !== "counted" && el.dataset.state !== "") return;
    var chosen = el.dataset.choice || "";
    f.querySelectorAll(".vote-choice").forEach(function (button) {
      var on = button.value === chosen;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("is-chosen", on);
      button.classList.remove("is-unsent");
    });
  }

  function setBusy(choice, busy) {
    var f = form();
    if (!f) return;
    f.querySelectorAll("button").forEach(function (button) {
      button.disabled = busy;
      if (busy && button.value === choice && button.classList.contains("vote-choice")) {
        button.setAttribute("aria-busy", "true");
      } else {
        button.removeAttribute("aria-busy");
      }
    });
    if (busy) f.setAttribute("aria-busy", "true");
    else f.removeAttribute("aria-busy");
  }

  // --- Asking for the reason first. -------------------------------------------------
  function reasonBox() {
    return document.querySelector("#ballot [data-reason-box]");
  }
  function showReasonBox(choiceButton, quiet) {
    var box = reasonBox();
    if (!box) return;
    box.hidden = false;
    var actions = box.querySelector("[data-reason-actions]");
    if (choiceButton) {
      asked = choiceButton.value;
      var label = box.querySelector("label");
      var prefix = area().getAttribute("data-label-reason-for") || "";
      if (!label.dataset.plain) label.dataset.plain = label.textContent;
      label.textContent = prefix + " “" + choiceButton.textContent.trim() + "”";
      if (actions) actions.hidden = false;
      if (!quiet) {
        box.scrollIntoView({ block: "nearest" });
        box.querySelector("textarea").focus();
      }
    }
  }
  function hideReasonBox() {
    var box = reasonBox();
    if (!box) return;
    asked = null;
    var actions = box.querySelector("[data-reason-actions]");
    if (actions) actions.hidden = true;
    var label = box.querySelector("label");
    if (label.dataset.plain) label.textContent = label.dataset.plain;
    // Kept open when the organisation's counted choice carries a reason.
    var counted = statusEl() && statusEl().dataset.choice;
    var f = form();
    var needs = counted && f && f.querySelector('.vote-choice[value="' + counted + '"][data-needs-reason]');
    box.hidden = !needs;
  }

  // --- Sending. ----------------------------------------------------------------------
  function csrfToken() {
    var f = form();
    var input = f && f.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(resend, retryDelay);
    retryDelay = Math.min(RETRY_MAX, retryDelay * 2);
  }

  function swapBallot(html) {
    var b = ballotEl();
    if (!b) return;
    if (window.htmx && htmx.swap) htmx.swap(b, html, { swapStyle: "innerHTML" });
    else {
      b.innerHTML = html;
      if (window.htmx) htmx.process(b);
    }
    afterBallotShown();
  }

  function swapStatus(node) {
    var old = statusEl();
    if (old) old.replaceWith(node);
    else if (ballotEl()) ballotEl().appendChild(node);
    if (window.htmx) htmx.process(node);
    syncChoice();
    hideReasonBox();
  }

  function answered(ballot, response, html) {
    var code = response.status;
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var frag = holder.content;
    var wholeBallot = frag.querySelector(".ballot-open, .ballot-closed, .ballot-idle");
    var status = frag.querySelector("#ballot-status");
    if (code >= 500) {
      say("pending", msg("server"));
      scheduleRetry();
      return;
    }
    if (code === 401) {
      // The session ended: keep the ballot; the fragment says how to sign in.
      if (status) swapStatus(status);
      else say("refused", msg("session"));
      return;
    }
    if (code === 403 && !wholeBallot && !status && !frag.querySelector(".notice-error")) {
      // Django's CSRF refusal page: this page's token is stale.
      say("refused", msg("csrf"), {
        label: area().getAttribute("data-label-reload"),
        run: function () {
          window.location.reload();
        },
      });
      return;
    }
    // The server decided: counted or refused for good. Nothing to send again.
    dropPending();
    if (wholeBallot) {
      swapBallot(html);
    } else if (status) {
      swapStatus(status);
    } else {
      var notice = frag.querySelector(".notice-error");
      say(code === 200 ? "counted" : "refused", notice ? notice.textContent.trim() : msg("refused"));
    }
    if (code === 200 && !wholeBallot && status && !status.dataset.state) {
      statusEl().dataset.state = "counted";
    }
    void ballot;
  }

  function send(ballot) {
    if (inFlight) return;
    var f = form();
    if (!f || openPoll() !== String(ballot.poll)) return;
    inFlight = true;
    setBusy(ballot.choice, true);
    say("sending", msg("sending"));
    var body = new FormData();
    body.append("poll", ballot.poll);
    body.append("choice", ballot.choice);
    body.append("reason", ballot.reason || "");
    body.append("csrfmiddlewaretoken", csrfToken());
    fetch(f.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken(),
        "HX-Request": "true",
        "HX-Target": "ballot",
        "HX-Current-URL": window.location.href,
      },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          inFlight = false;
          setBusy(ballot.choice, false);
          answered(ballot, response, html);
        });
      })
      .catch(function () {
        // No answer at all: the venue's Wi-Fi. Kept; sent again later.
        inFlight = false;
        setBusy(ballot.choice, false);
        say("pending", msg("pending"));
        scheduleRetry();
      });
  }

  // The choice on its way (or kept, not sent yet) is marked apart from the
  // counted one until the server has counted it.
  function markUnsent(choice) {
    var f = form();
    if (!f) return;
    f.querySelectorAll(".vote-choice").forEach(function (button) {
      button.classList.toggle("is-unsent", button.value === choice);
    });
  }

  function cast(choice, reason) {
    var poll = openPoll();
    if (!poll) return;
    markUnsent(choice);
    asked = null; // answered: the reason box's question is closed
    var ballot = { poll: poll, choice: choice, reason: reason || "", at: Date.now() };
    savePending(ballot);
    retryDelay = 2000;
    send(ballot);
  }

  // Send a kept ballot again, if its vote is the one open here.
  function resend() {
    var ballot = pending();
    if (!ballot || inFlight) return;
    var poll = openPoll();
    if (poll === null) {
      var closed = document.querySelector('#ballot .ballot-closed[data-poll="' + ballot.poll + '"]');
      if (closed || !document.querySelector("#ballot .ballot-open")) {
        if (closed) say("refused", msg("closed"));
        dropPending();
      }
      return;
    }
    if (poll !== String(ballot.poll)) {
      dropPending(); // another vote now: that ballot's vote is over
      return;
    }
    var status = statusEl();
    if (status && status.dataset.state === "counted" && status.dataset.choice === ballot.choice) {
      dropPending(); // it did get through before the answer was lost
      return;
    }
    send(ballot);
  }

  // --- Events. -------------------------------------------------------------------------
  document.addEventListener(
    "submit",
    function (evt) {
      var f = evt.target;
      if (!f.classList || !f.classList.contains("ballot-form")) return;
      evt.preventDefault();
      evt.stopImmediatePropagation();
      if (inFlight) return;
      var button = evt.submitter;
      if (!button || !button.classList.contains("vote-choice")) return;
      var reason = (f.querySelector("textarea[name=reason]") || {}).value || "";
      if (button.hasAttribute("data-needs-reason") && !reason.trim()) {
        showReasonBox(button);
        return;
      }
      cast(button.value, button.hasAttribute("data-needs-reason") ? reason : "");
    },
    true
  );

  document.addEventListener("click", function (evt) {
    var target = evt.target;
    if (!target.closest) return;
    if (target.closest("[data-send-reason]")) {
      var f = form();
      var reason = f.querySelector("textarea[name=reason]").value;
      if (!reason.trim()) {
        say("refused", msg("reason"));
        f.querySelector("textarea[name=reason]").focus();
        return;
      }
      if (asked) cast(asked, reason);
    } else if (target.closest("[data-cancel-reason]")) {
      hideReasonBox();
    }
  });

  // Each time the ballot area is shown anew (a vote opened or closed, a
  // reconnect, a refresh): keep the reason box quiet, follow the counted choice,
  // bring a newly opened vote into view, and send what is kept.
  function afterBallotShown() {
    var poll = openPoll();
    if (form()) hideReasonBox();
    syncChoice();
    if (poll && poll !== seenPoll && seenPoll !== null) bringIntoView();
    seenPoll = poll || "";
    var kept = pending();
    if (kept) {
      if (poll === String(kept.poll)) {
        markUnsent(kept.choice);
        say("pending", msg("pending"));
      }
      resend();
    }
  }

  function bringIntoView() {
    var active = document.activeElement;
    var typing = active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT" || active.tagName === "SELECT");
    var area_ = area();
    if (!area_ || typing) return;
    var box = area_.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.5) {
      area_.scrollIntoView({ block: "start" });
    }
  }

  // The ballot area is fetched again on every (re)connect and vote push: what
  // the delegate was doing in it (a reason being written) survives the refresh
  // when the same vote is still open.
  var carried = null;
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "ballot") return;
    var textarea = document.querySelector("#ballot textarea[name=reason]");
    carried = {
      poll: openPoll(),
      asked: asked,
      reason: textarea ? textarea.value : "",
      typing: textarea !== null && document.activeElement === textarea,
    };
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "ballot") return;
    var before = carried;
    carried = null;
    asked = null;
    afterBallotShown();
    if (!before || !before.poll || before.poll !== openPoll()) return;
    var textarea = document.querySelector("#ballot textarea[name=reason]");
    if (textarea && before.reason) textarea.value = before.reason;
    if (before.asked) {
      var button = form() && form().querySelector('.vote-choice[value="' + before.asked + '"]');
      if (button) showReasonBox(button, !before.typing);
    }
    if (before.typing && textarea) textarea.focus();
  });
  // A colleague's ballot replaced the organisation's: the pushed status says so
  // (an out-of-band #ballot-status); the buttons follow it. An open reason box is
  // left alone: someone may be typing in it.
  document.addEventListener("htmx:oobAfterSwap", syncChoice);
  window.addEventListener("online", resend);
  document.addEventListener("htmx:wsOpen", function () {
    setTimeout(resend, 300);
  });
})();
