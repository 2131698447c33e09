/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function enhance(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // After htmx swaps in a new step: move focus to its error summary or its heading, and say so.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "step") return;
    var step = document.getElementById("step");
    var focus = step.querySelector("[data-focus]") || step.querySelector("h1");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus();
      announce((step.querySelector("h1") || focus).textContent.trim());
    }
    enhance(step);
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();
