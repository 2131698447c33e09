/* The kiosk's on-screen keyboard (templates/_keyboard.html): shown under the text field that has focus, typing
   where the caret is, as a person would (the field's input event fires: counters and htmx see it). Loaded only
   in kiosk mode; every page works without it. */
(function () {
  "use strict";

  var osk, field = null, shifted = false, quiet = false;
  var TEXT = "input[type=text], input[type=email], input[type=search], input:not([type]), textarea";
  var DIGITS = /^(numeric|tel|decimal)$/;

  function typed(target) {
    return target && target.matches && target.matches(TEXT + ", input[type=tel]") && !target.readOnly &&
      !target.disabled && !target.closest(".hp, [data-osk]");
  }

  function say(text) {
    var region = document.getElementById("announcer");
    if (region) { region.textContent = ""; window.setTimeout(function () { region.textContent = text; }, 50); }
  }

  function insert(text) {
    if (!field) return;
    var max = field.maxLength > 0 ? field.maxLength : Infinity;
    var start = field.selectionStart, end = field.selectionEnd;
    if (start === null || start === undefined) {  // email fields keep no caret: type at the end
      if (field.value.length < max) field.value += text;
    } else if (field.value.length - (end - start) < max) {
      field.setRangeText(text, start, end, "end");
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function backspace() {
    if (!field) return;
    var start = field.selectionStart, end = field.selectionEnd;
    if (start === null || start === undefined) field.value = field.value.slice(0, -1);
    else if (start !== end) field.setRangeText("", start, end, "end");
    else if (start > 0) field.setRangeText("", start - 1, start, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setShift(on) {
    shifted = on;
    osk.querySelector("[data-osk-shift]").setAttribute("aria-pressed", on ? "true" : "false");
    osk.querySelectorAll("[data-osk-layout=text] [data-osk-key]").forEach(function (key) {
      var value = key.getAttribute("data-osk-key");
      if (value.length === 1 && value !== " ") key.textContent = on ? value.toUpperCase() : value;
    });
  }

  function open(target) {
    var numeric = DIGITS.test(target.getAttribute("inputmode") || "") || target.type === "tel";
    var wasOpen = !osk.hidden, wasNumeric = osk.getAttribute("data-osk-mode") === "numeric";
    field = target;
    osk.querySelector("[data-osk-layout=text]").hidden = numeric;
    osk.querySelector("[data-osk-layout=numeric]").hidden = !numeric;
    osk.setAttribute("data-osk-mode", numeric ? "numeric" : "text");
    osk.hidden = false;
    document.documentElement.classList.add("osk-open");
    if (!wasOpen || wasNumeric !== numeric) say(osk.getAttribute(numeric ? "data-open-numeric" : "data-open-text"));
    window.setTimeout(function () { target.scrollIntoView({ block: "center" }); }, 0);
  }

  function close() {
    // The room made below the page stays: taking it away would move what is under the finger between the
    // press and the release of a touch that closed the keyboard by leaving the field (the touch is lost).
    osk.hidden = true;
    setShift(false);
    if (field) say(osk.getAttribute("data-closed"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    osk = document.querySelector("[data-osk]");
    if (!osk || !document.body.hasAttribute("data-kiosk")) return;
    document.addEventListener("focusin", function (event) {
      if (quiet) return;
      if (typed(event.target)) open(event.target);
      else if (!osk.contains(event.target) && !osk.hidden) close();
    });
    // A touch on the field that has focus brings the keyboard back after "close".
    document.addEventListener("pointerdown", function (event) {
      if (osk.hidden && typed(event.target) && event.target === document.activeElement) open(event.target);
    });
    // A touch on a key keeps the focus (and the caret) in the field.
    osk.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    osk.addEventListener("click", function (event) {
      var key = event.target.closest("button");
      if (!key) return;
      if (key.hasAttribute("data-osk-close")) {  // focus back to the field (from Tab and Enter), the keyboard stays shut
        close();
        if (field && document.activeElement !== field) { quiet = true; field.focus({ preventScroll: true }); quiet = false; }
        return;
      }
      if (field && document.activeElement !== field) field.focus({ preventScroll: true });
      if (key.hasAttribute("data-osk-shift")) { setShift(!shifted); return; }
      if (key.hasAttribute("data-osk-backspace")) { backspace(); return; }
      var value = key.getAttribute("data-osk-key");
      insert(shifted ? value.toUpperCase() : value);
      if (shifted) setShift(false);
    });
    // htmx swaps the step: a field that left the page no longer takes the keys.
    document.addEventListener("htmx:afterSwap", function () {
      if (field && !document.contains(field)) { field = null; close(); }
    });
  });
})();
