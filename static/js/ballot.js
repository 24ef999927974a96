// The delegate's ballot (contract 2): sent in place, never lost, never sent twice.
//
// Each ballot form of the ballot area (the organisation's own; for a proxy holder,
// the represented partner's too) names its status element (data-status:
// "ballot-status", "ballot-status-proxy"). A choice is sent with fetch, and the
// answer, the small status fragment of the voting app (200 counted; 400, 403,
// 409 refused; 401 session ended, with a sign-in link), is swapped in place of
// that status; the page stays as it is. What the voting app cannot answer is
// said here, in the page's language (data-msg-* of .ballot-area, translated by
// the server):
// - no answer at all (the venue's Wi-Fi), or a server error (5xx): the ballot is
//   kept on this phone (localStorage), shown as not sent yet, and sent again when
//   the connection returns (online, the socket reopening, a timer) while its vote
//   is open;
// - a CSRF refusal (a 403 that is not the voting app's): kept, reload to send.
// An organisation holds one ballot per vote (the last choice counts): sending the
// same ballot again after an answer was lost counts it once.
// Serious concerns and a block ask for the reason before anything is sent.
(function () {
  "use strict";

  var KEY = "samatcha:ballot:";
  var RETRY_MAX = 30000;
  var inFlight = {}; // status id -> true
  var retryTimer = null;
  var retryDelay = 2000;
  var memory = {}; // pending ballots when localStorage is unavailable
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
  function openPoll() {
    var open = document.querySelector("#ballot .ballot-open[data-poll]");
    return open ? open.dataset.poll : null;
  }
  function forms() {
    return Array.prototype.slice.call(document.querySelectorAll("#ballot .ballot-form"));
  }
  function formFor(statusId) {
    return document.querySelector('#ballot .ballot-form[data-status="' + statusId + '"]');
  }
  function statusIdOf(form) {
    return form.dataset.status || "ballot-status";
  }

  // --- Ballots kept on this phone until the server answered. ----------------------
  function key(statusId) {
    return KEY + room() + ":" + statusId;
  }
  function keep(ballot) {
    memory[ballot.status] = ballot;
    try {
      window.localStorage.setItem(key(ballot.status), JSON.stringify(ballot));
    } catch (e) {
      /* private mode: kept in memory only */
    }
  }
  function forget(statusId) {
    delete memory[statusId];
    try {
      window.localStorage.removeItem(key(statusId));
    } catch (e) {
      /* nothing kept */
    }
  }
  function kept(statusId) {
    try {
      var raw = window.localStorage.getItem(key(statusId));
      if (raw) return JSON.parse(raw);
    } catch (e) {
      /* fall back to memory */
    }
    return memory[statusId] || null;
  }
  function keptAll() {
    var all = [];
    ["ballot-status", "ballot-status-proxy"].forEach(function (id) {
      var b = kept(id);
      if (b) all.push(b);
    });
    return all;
  }

  // --- What a status says. ------------------------------------------------------------
  function statusEl(statusId) {
    return document.getElementById(statusId);
  }

  function say(statusId, state, text, action) {
    var el = statusEl(statusId);
    if (!el) return;
    el.dataset.state = state;
    el.className = "ballot-status notice is-" + state;
    el.setAttribute("role", state === "refused" ? "alert" : "status");
    el.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    el.appendChild(p);
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      el.appendChild(button);
    }
    if (state === "pending" || state === "refused") el.scrollIntoView({ block: "nearest" });
  }

  // The buttons follow the organisation's counted choice (data-choice of its
  // status), whoever of its delegates cast it; an unsent choice stays marked.
  function syncChoice(form) {
    var el = statusEl(statusIdOf(form));
    if (!el) return;
    var state = el.dataset.state;
    if (state !== "counted" && state !== "none") return;
    var chosen = el.dataset.choice || "";
    var unsent = kept(statusIdOf(form));
    form.querySelectorAll(".vote-choice").forEach(function (button) {
      var on = button.value === chosen;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("is-chosen", on);
      button.classList.toggle("is-unsent", !!unsent && button.value === unsent.choice);
    });
  }
  function syncAll() {
    forms().forEach(syncChoice);
  }

  function markUnsent(form, choice) {
    form.querySelectorAll(".vote-choice").forEach(function (button) {
      button.classList.toggle("is-unsent", button.value === choice);
    });
  }

  function setBusy(form, choice, busy) {
    form.querySelectorAll("button").forEach(function (button) {
      button.disabled = busy;
      if (busy && button.value === choice && button.classList.contains("vote-choice")) {
        button.setAttribute("aria-busy", "true");
      } else {
        button.removeAttribute("aria-busy");
      }
    });
    if (busy) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
  }

  // --- Asking for the reason first. -------------------------------------------------
  function reasonBox(form) {
    return form.querySelector("[data-reason-box]");
  }
  function askReason(form, button, quiet) {
    var box = reasonBox(form);
    if (!box) return;
    form.dataset.asked = button.value;
    box.hidden = false;
    var label = box.querySelector("label");
    if (!label.dataset.plain) label.dataset.plain = label.textContent;
    label.textContent = (area().getAttribute("data-label-reason-for") || "") + " “" + button.textContent.trim() + "”";
    box.querySelector("[data-reason-actions]").hidden = false;
    if (!quiet) {
      box.scrollIntoView({ block: "nearest" });
      box.querySelector("textarea").focus();
    }
  }
  // The box stays open (without its question) when the counted choice carries a
  // reason; otherwise it is closed.
  function settleReason(form) {
    var box = reasonBox(form);
    if (!box) return;
    delete form.dataset.asked;
    box.querySelector("[data-reason-actions]").hidden = true;
    var label = box.querySelector("label");
    if (label.dataset.plain) label.textContent = label.dataset.plain;
    var el = statusEl(statusIdOf(form));
    var counted = el && el.dataset.choice;
    box.hidden = !(counted && form.querySelector('.vote-choice[value="' + counted + '"][data-needs-reason]'));
  }

  // --- Sending. ----------------------------------------------------------------------
  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(resendAll, retryDelay);
    retryDelay = Math.min(RETRY_MAX, retryDelay * 2);
  }

  // When each status was last set by the server's decision (an answer to a
  // ballot, or a pushed status): a ballot area fetched before that moment may
  // carry an older status, read before the ballot was written.
  var decidedAt = {};

  function decided(statusId) {
    decidedAt[statusId] = performance.now();
  }

  function swapStatus(statusId, node) {
    var old = statusEl(statusId);
    if (!old) return;
    node.id = statusId;
    old.replaceWith(node);
    if (window.htmx) htmx.process(node);
  }

  function answered(ballot, response, html) {
    var code = response.status;
    var form = formFor(ballot.status);
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var status = holder.content.querySelector("#" + ballot.status) || holder.content.querySelector(".ballot-status");
    if (code >= 500 || (code >= 400 && !status && code !== 403 && code !== 401)) {
      say(ballot.status, "pending", msg("server"));
      scheduleRetry();
      return;
    }
    if (!status && code === 403) {
      // Not the voting app's answer: Django's CSRF refusal (a stale page).
      say(ballot.status, "refused", msg("csrf"), {
        label: area().getAttribute("data-label-reload"),
        run: function () {
          window.location.reload();
        },
      });
      return;
    }
    if (!status && code === 401) {
      say(ballot.status, "refused", msg("session"));
      return;
    }
    if (code === 401) {
      swapStatus(ballot.status, status); // kept: sent again after signing in
      return;
    }
    // The server decided: counted, or refused for good. Nothing to send again.
    forget(ballot.status);
    if (status) {
      swapStatus(ballot.status, status);
      decided(ballot.status);
    }
    if (form) {
      if (code !== 200) markUnsent(form, "");
      syncChoice(form);
      settleReason(form);
    }
  }

  function send(ballot) {
    var form = formFor(ballot.status);
    if (!form || inFlight[ballot.status] || openPoll() !== String(ballot.poll)) return;
    inFlight[ballot.status] = true;
    setBusy(form, ballot.choice, true);
    say(ballot.status, "sending", msg("sending"));
    var body = new FormData();
    body.append("poll", ballot.poll);
    body.append("choice", ballot.choice);
    body.append("reason", ballot.reason || "");
    if (ballot.partner) body.append("for_partner", ballot.partner);
    body.append("csrfmiddlewaretoken", csrfToken(form));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken(form),
        "HX-Request": "true",
        "HX-Target": ballot.status,
        "HX-Current-URL": window.location.href,
      },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          inFlight[ballot.status] = false;
          var now = formFor(ballot.status);
          if (now) setBusy(now, ballot.choice, false);
          answered(ballot, response, html);
        });
      })
      .catch(function () {
        inFlight[ballot.status] = false;
        var now = formFor(ballot.status);
        if (now) setBusy(now, ballot.choice, false);
        say(ballot.status, "pending", msg("pending"));
        scheduleRetry();
      });
  }

  function cast(form, choice, reason) {
    var poll = openPoll();
    if (!poll) return;
    var ballot = {
      poll: poll,
      choice: choice,
      reason: reason || "",
      partner: form.dataset.forPartner || "",
      status: statusIdOf(form),
      at: Date.now(),
    };
    delete form.dataset.asked; // answered: the reason box's question is closed
    keep(ballot);
    markUnsent(form, choice);
    retryDelay = 2000;
    send(ballot);
  }

  // Send the kept ballots again, each if its vote is the one open here.
  function resendAll() {
    var poll = openPoll();
    keptAll().forEach(function (ballot) {
      if (inFlight[ballot.status]) return;
      if (poll === null) {
        var closed = document.querySelector('#ballot .ballot-closed[data-poll="' + ballot.poll + '"]');
        if (closed) {
          forget(ballot.status);
          var note = document.createElement("p");
          note.className = "notice-error";
          note.setAttribute("role", "alert");
          note.textContent = msg("closed");
          closed.appendChild(note);
        } else if (document.querySelector("#ballot .ballot-idle")) {
          forget(ballot.status);
        }
        return;
      }
      if (poll !== String(ballot.poll)) {
        forget(ballot.status); // another vote now: that ballot's vote is over
        return;
      }
      var el = statusEl(ballot.status);
      if (el && el.dataset.state === "counted" && el.dataset.choice === ballot.choice) {
        forget(ballot.status); // it did get through; only the answer was lost
        var form = formFor(ballot.status);
        if (form) syncChoice(form);
        return;
      }
      send(ballot);
    });
  }

  // --- Events. -------------------------------------------------------------------------
  document.addEventListener(
    "submit",
    function (evt) {
      var form = evt.target;
      if (!form.classList || !form.classList.contains("ballot-form")) return;
      evt.preventDefault();
      evt.stopImmediatePropagation();
      if (inFlight[statusIdOf(form)]) return;
      var button = evt.submitter;
      if (!button || !button.classList.contains("vote-choice")) return;
      var textarea = form.querySelector("textarea[name=reason]");
      var reason = textarea ? textarea.value : "";
      if (button.hasAttribute("data-needs-reason") && !reason.trim()) {
        askReason(form, button);
        return;
      }
      cast(form, button.value, button.hasAttribute("data-needs-reason") ? reason : "");
    },
    true
  );

  document.addEventListener("click", function (evt) {
    var target = evt.target;
    if (!target.closest) return;
    var form = target.closest(".ballot-form");
    if (!form) return;
    if (target.closest("[data-send-reason]")) {
      var textarea = form.querySelector("textarea[name=reason]");
      if (!textarea.value.trim()) {
        say(statusIdOf(form), "refused", msg("reason"));
        textarea.focus();
        return;
      }
      if (form.dataset.asked) cast(form, form.dataset.asked, textarea.value);
    } else if (target.closest("[data-cancel-reason]")) {
      settleReason(form);
    }
  });

  // Each time the ballot area is shown anew (a vote opened or closed, a reconnect,
  // a refresh): the reason boxes rest, the buttons follow the counted choices, a
  // newly opened vote comes into view, and what is kept is sent.
  function afterBallotShown() {
    var poll = openPoll();
    forms().forEach(function (form) {
      settleReason(form);
      var unsent = kept(statusIdOf(form));
      if (unsent && poll === String(unsent.poll)) say(statusIdOf(form), "pending", msg("pending"));
    });
    syncAll();
    if (poll && poll !== seenPoll && seenPoll !== null) bringIntoView();
    seenPoll = poll || "";
    resendAll();
  }

  function bringIntoView() {
    var active = document.activeElement;
    var typing = active && /^(TEXTAREA|INPUT|SELECT)$/.test(active.tagName);
    var where = area();
    if (!where || typing) return;
    var box = where.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.5) where.scrollIntoView({ block: "start" });
  }

  // The ballot area is fetched again on every (re)connect and vote push: what the
  // delegate was doing in it (a reason being written) survives when the same vote
  // is still open.
  // A status the server decided after the area was asked for is newer than the
  // one the area brings, and stays (the area was read before that ballot was
  // written: after a reload, its kept ballot is sent while the area is fetched).
  var carried = null;
  document.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "ballot" && evt.detail.xhr) {
      evt.detail.xhr.samatchaAskedAt = performance.now();
    }
  });
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "ballot") return;
    var askedAt = evt.detail.xhr && evt.detail.xhr.samatchaAskedAt;
    carried = { poll: openPoll(), forms: {}, statuses: {} };
    forms().forEach(function (form) {
      var textarea = form.querySelector("textarea[name=reason]");
      var id = statusIdOf(form);
      carried.forms[id] = {
        asked: form.dataset.asked || "",
        reason: textarea ? textarea.value : "",
        typing: textarea !== null && document.activeElement === textarea,
      };
      var el = statusEl(id);
      if (el && askedAt !== undefined && decidedAt[id] > askedAt) {
        carried.statuses[id] = el.cloneNode(true);
      }
    });
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "ballot") return;
    var before = carried;
    carried = null;
    var samePoll = before && before.poll && before.poll === openPoll();
    if (samePoll) {
      Object.keys(before.statuses).forEach(function (id) {
        swapStatus(id, before.statuses[id]);
      });
    }
    afterBallotShown();
    if (!samePoll) return;
    forms().forEach(function (form) {
      var was = before.forms[statusIdOf(form)];
      if (!was) return;
      var textarea = form.querySelector("textarea[name=reason]");
      if (textarea && was.reason) textarea.value = was.reason;
      var button = was.asked && form.querySelector('.vote-choice[value="' + was.asked + '"]');
      if (button) askReason(form, button, !was.typing);
      if (was.typing && textarea) textarea.focus();
    });
  });
  // A colleague's ballot replaced the organisation's: the pushed status says so
  // (an out-of-band #ballot-status); the buttons follow it. A reason being
  // written is left alone.
  document.addEventListener("htmx:oobAfterSwap", function (evt) {
    var target = (evt.detail && evt.detail.target) || evt.target;
    var id = target && target.id;
    if (id === "ballot-status" || id === "ballot-status-proxy") decided(id);
    syncAll();
  });
  window.addEventListener("online", resendAll);
  document.addEventListener("htmx:wsOpen", function () {
    setTimeout(resendAll, 300);
  });
})();
