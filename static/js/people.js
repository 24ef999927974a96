// The people pages (delegates, badges, accounts, agenda items' co-leads):
// - a checkbox in a table's head ticks every row shown;
// - a long list of checkboxes gets a box that filters it as one types.
// Without JavaScript both stay hidden: the "every one shown" choice and the
// browser's own find do the same work.
(function () {
  "use strict";
  if (window.samatchaPeople) return;  // a page may load it more than once
  window.samatchaPeople = true;

  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var name = all.dataset.selectAll;
    var form = all.form || all.closest("form");
    if (!form) return;
    function boxes() {
      return Array.prototype.filter.call(
        form.querySelectorAll('input[type=checkbox][name="' + name + '"]'),
        function (box) { return box.offsetParent !== null; }
      );
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    form.addEventListener("change", function (evt) {
      if (evt.target === all || evt.target.name !== name) return;
      var shown = boxes();
      all.checked = shown.length > 0 && shown.every(function (b) { return b.checked; });
    });
  });

  document.querySelectorAll("[data-choice-filter]").forEach(function (input) {
    var holder = input.closest(".choice-search");
    if (!holder) return;
    var list = holder.querySelector(".choice-list");
    input.closest(".choice-filter").hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      list.querySelectorAll("label").forEach(function (label) {
        var text = label.textContent.toLocaleLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        var box = label.querySelector("input");
        // A ticked choice always stays in view.
        (label.parentElement || label).hidden = !match && !(box && box.checked);
      });
    });
  });
})();
