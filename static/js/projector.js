// The projector adapts to the room: body[data-state] is one of
//   voting    a vote is open
//   result    a vote closed, and the room has not moved on yet
//   speaking  someone has the floor
//   idle      the clause under discussion
// A result stays on the wall until the room moves on: a speaker is given the
// floor, the clause under discussion changes, or RESULT_MS pass. A projector
// opened (or reconnected) shortly after a vote closed shows its result too.
// Long texts are shrunk to fit their box (never below the body size), so the
// wall never needs a scroll.
(function () {
  "use strict";

  var RESULT_MS = 15 * 60 * 1000;
  var result = null; // {poll, clause, speaker, until}
  var lastPollState = null; // "open:12", "closed:12", "none:"

  function voteResult() {
    return document.getElementById("vote-result");
  }
  function currentClause() {
    var draft = document.getElementById("draft");
    return draft ? draft.dataset.currentKey || "" : "";
  }
  function speaker() {
    var s = document.querySelector("#speakers .speaking[data-speaker]");
    return s ? s.dataset.speaker : "";
  }

  function noteVote() {
    var vr = voteResult();
    var state = (vr && vr.dataset.state) || "none";
    var poll = (vr && vr.dataset.poll) || "";
    var now = state + ":" + poll;
    if (now === lastPollState) return;
    var before = lastPollState;
    lastPollState = now;
    if (state !== "closed") {
      if (state === "open") result = null;
      return;
    }
    var closedAt = Date.parse(vr.dataset.closedAt || "");
    var justClosed = before !== null && before.indexOf("open:") === 0;
    // Opened (or reconnected) after the close: a recent result is shown unless
    // the room has moved on to a speaker already.
    var recent = !isNaN(closedAt) && Date.now() - closedAt < RESULT_MS && !speaker();
    if (justClosed || recent || (result && result.poll === poll)) {
      var until = (isNaN(closedAt) ? Date.now() : closedAt) + RESULT_MS;
      if (justClosed) until = Date.now() + RESULT_MS;
      result = { poll: poll, clause: currentClause(), speaker: speaker(), until: until };
    }
  }

  function state() {
    noteVote();
    var vr = voteResult();
    if (vr && vr.dataset.state === "open") return "voting";
    if (result) {
      var movedOn =
        Date.now() > result.until ||
        currentClause() !== result.clause ||
        (speaker() && speaker() !== result.speaker);
      if (movedOn) result = null;
      else if (vr && vr.dataset.state === "closed" && vr.dataset.poll === result.poll) return "result";
    }
    if (speaker()) return "speaking";
    return "idle";
  }

  // Shrink the text of a box (a CSS variable on <body>, which is never swapped)
  // until its content fits, from 1 down to `least`; the stylesheet never lets the
  // text go below the body size (max(1em, ...)): what still does not fit is
  // faded out at the bottom.
  function fit(selector, variable, least) {
    var box = document.querySelector(selector);
    var body = document.body;
    body.style.setProperty(variable, "1");
    if (!box || box.offsetParent === null) return;
    var scale = 1;
    while (box.scrollHeight > box.clientHeight + 1 && scale > least) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      body.style.setProperty(variable, String(scale));
    }
    box.classList.toggle("is-clipped", box.scrollHeight > box.clientHeight + 1);
  }

  function update() {
    var now = state();
    if (document.body.dataset.state !== now) document.body.dataset.state = now;
    fit(".proj-main", "--fit-main", 0.6);
    fit(".vote-under", "--fit-under", 0.6);
  }

  var queued = false;
  function soon() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      update();
    });
  }

  document.addEventListener("htmx:wsAfterMessage", soon);
  document.addEventListener("htmx:afterSettle", soon);
  document.addEventListener("htmx:oobAfterSwap", soon);
  window.addEventListener("resize", soon);
  document.addEventListener("DOMContentLoaded", soon);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(soon);
  setInterval(update, 5000);
})();
