// The room page's amendment form: "replace the clause" starts from the clause as
// it stands (the delegate edits words, not retypes the clause), a new clause
// starts empty, and a deletion needs no text. What the delegate typed is never
// overwritten: only a text still equal to a clause's own (or empty) is replaced.
(function () {
  "use strict";

  function clauseTexts(form) {
    var texts = {};
    var holder = form.querySelector("#amend-clause-texts");
    if (!holder) return texts;
    holder.content.querySelectorAll("[data-key]").forEach(function (el) {
      texts[el.dataset.key] = el.textContent;
    });
    return texts;
  }

  function untouched(value, texts) {
    if (!value.trim()) return true;
    return Object.keys(texts).some(function (key) {
      return texts[key] === value;
    });
  }

  function follow(form) {
    var kind = form.querySelector("#amend-kind");
    var target = form.querySelector("#amend-target");
    var text = form.querySelector("#amend-text");
    if (!kind || !target || !text) return;
    var texts = clauseTexts(form);
    var field = text.closest("form").querySelector('label[for="amend-text"]');
    var isDelete = kind.value === "delete";
    text.hidden = isDelete;
    if (field) field.hidden = isDelete;
    if (!untouched(text.value, texts)) return;
    if (kind.value === "replace" && texts[target.value] !== undefined) {
      text.value = texts[target.value];
    } else {
      text.value = "";
    }
  }

  function setUp(root) {
    var form = root.querySelector ? root.querySelector("form.amend") : null;
    if (!form || form.dataset.followed) return;
    form.dataset.followed = "1";
    form.addEventListener("change", function (evt) {
      if (evt.target.id === "amend-kind" || evt.target.id === "amend-target") follow(form);
    });
    follow(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  document.addEventListener("htmx:afterSwap", function () {
    setUp(document);
  });
})();
