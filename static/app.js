/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  /* htmx's settings, here rather than in a <meta> of every page (a few hundred bytes a page on GPRS). htmx reads
     them as it works, from DOMContentLoaded on; this file runs just before (both are deferred, in order). */
  if (window.htmx) {
    Object.assign(window.htmx.config, {
      historyCacheSize: 0, refreshOnHistoryMiss: true, includeIndicatorStyles: false, allowEval: false,
      allowScriptTags: false, disableInheritance: true, attributesToSettle: ["class", "width", "height"],
      defaultFocusScroll: true, responseHandling: [{ code: "204", swap: false }, { code: "[2345]..", swap: true }]
    });
  }

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /* The receipt: a print button. At the kiosk (Chromium's --kiosk-printing prints without a dialog) it prints
     by itself once shown, then asks "has it printed?" with "print again" and "done". */
  function printReceipt(receipt) {
    receipt.dataset.printing = "1";
    window.addEventListener("afterprint", function () { receipt.dataset.printed = "1"; }, { once: true });
    window.print();
  }

  function enhancePrint(root) {
    var receipt = root.querySelector("[data-receipt]") || (root.matches && root.matches("[data-receipt]") ? root : null);
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { printReceipt(button.closest("[data-receipt]")); });
    });
    if (!receipt || !document.body.hasAttribute("data-kiosk") || receipt.dataset.printing) return;
    var check = receipt.querySelector("[data-print-check]");
    var again = receipt.querySelector("[data-print-again]");
    if (again) again.addEventListener("click", function () { printReceipt(receipt); });
    printReceipt(receipt);
    if (check) {
      check.hidden = false;
      var first = check.querySelector("button");
      if (first) first.focus();
    }
  }

  /* Save data: shrink photos in the browser (longest side 1600 px, JPEG) before they are sent. */
  var LONGEST = 1600;

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.8); });
    }).then(function (blob) {
      if (!blob || blob.size >= file.size) return file;
      return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
    }).catch(function () { return file; });
  }

  function setFiles(input, files) {
    var transfer = new DataTransfer();
    files.forEach(function (f) { transfer.items.add(f); });
    input.files = transfer.files;
  }

  function enhanceUpload(root) {
    var input = root.querySelector("[data-shrink-input]");
    var panel = root.querySelector("[data-save-data]");
    if (!input || !panel || !window.DataTransfer) return;
    var toggle = panel.querySelector("input[type=checkbox]");
    var result = panel.querySelector("[data-shrink-result]");
    var originals = [], shrunk = [];
    panel.hidden = false;

    function apply() {
      var useSmall = toggle.checked && shrunk.length === originals.length;
      setFiles(input, useSmall ? shrunk : originals);
      var before = originals.reduce(function (s, f) { return s + f.size; }, 0);
      var after = shrunk.reduce(function (s, f) { return s + f.size; }, 0);
      result.textContent = useSmall && after < before ? result.getAttribute("data-message")
        .replace("{before}", Math.ceil(before / 1024)).replace("{after}", Math.ceil(after / 1024)) : "";
    }

    input.addEventListener("change", function () {
      if (input.dataset.busy) return;
      originals = Array.from(input.files);
      shrunk = [];
      input.dataset.busy = "1";
      Promise.all(originals.map(shrink)).then(function (files) {
        shrunk = files;
        apply();
        delete input.dataset.busy;
      });
    });
    toggle.addEventListener("change", function () { if (originals.length) apply(); });
  }

  /* Upload progress and a retry that keeps the chosen files when the signal drops. */
  function uploadParts(elt) {
    var step = elt && elt.closest && elt.closest("#step");
    return step && step.querySelector("[data-upload-status]") ? {
      status: step.querySelector("[data-upload-status]"),
      bar: step.querySelector("[data-upload-status] progress"),
      error: step.querySelector("[data-upload-error]")
    } : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var parts = uploadParts(event.detail.elt);
    var files = document.getElementById("files");
    if (!parts || !files || !files.files.length) return;
    parts.error.hidden = true;
    parts.bar.value = 0;
    parts.status.hidden = false;
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var parts = uploadParts(event.target);
    if (parts && event.detail.lengthComputable) parts.bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var parts = uploadParts(event.detail.elt);
      if (!parts) return;
      parts.status.hidden = true;
      parts.error.hidden = false;
    });
  });

  /* The kiosk's privacy guard: warn after a while without input, counting down, then wipe the visit. A page
     may wait longer (the receipt: data-idle-warn on #step); an unprinted receipt is printed before the reset. */
  function watchIdle() {
    var body = document.body;
    if (!body.hasAttribute("data-kiosk")) return;
    var dialog = document.getElementById("idle-dialog");
    var seconds = dialog && dialog.querySelector("[data-idle-seconds]");
    var last = Date.now();
    function limits() {
      var step = document.querySelector("#step[data-idle-warn]") || body;
      return { warn: 1000 * Number(step.getAttribute("data-idle-warn")),
               reset: 1000 * Number(step.getAttribute("data-idle-reset")) };
    }
    function showWords() {
      var receipt = !!document.querySelector("[data-receipt]");
      dialog.querySelectorAll("[data-idle-text]").forEach(function (p) {
        p.hidden = (p.getAttribute("data-idle-text") === "receipt") !== receipt;
      });
    }
    // htmx:afterSwap: what the visitor's phone sends also shows someone is there.
    ["pointerdown", "keydown", "input", "touchstart", "wheel", "htmx:afterSwap"].forEach(function (name) {
      document.addEventListener(name, function () { last = Date.now(); }, true);
    });
    window.setInterval(function () {
      if (document.querySelector("[data-idle-exempt]")) { last = Date.now(); return; }  // the start screen
      var idle = Date.now() - last, limit = limits();
      if (idle >= limit.reset) {
        var receipt = document.querySelector("[data-receipt]");
        if (receipt && !receipt.dataset.printed) printReceipt(receipt);
        document.getElementById("kiosk-reset").submit();
      } else if (idle >= limit.warn && dialog) {
        if (seconds) seconds.textContent = String(Math.ceil((limit.reset - idle) / 1000));
        if (!dialog.open) { showWords(); dialog.showModal(); }
      }
    }, 500);
  }

  /* The village list holds every village of the regency, grouped by district: show only the
     chosen district's group (no round trip needed). */
  function enhanceVillages(root) {
    var select = root.querySelector("select[data-narrow-by]");
    if (!select) return;
    var by = document.getElementById(select.getAttribute("data-narrow-by"));
    var all = null;
    function narrow() {
      if (!all || select.dataset.stale) { all = select.cloneNode(true); delete select.dataset.stale; }
      var chosen = by.selectedIndex > 0 ? by.options[by.selectedIndex].text : null;
      var value = select.value;
      select.replaceChildren.apply(select, Array.from(all.children).filter(function (child) {
        return child.tagName !== "OPTGROUP" || child.label === chosen;
      }).map(function (child) { return child.cloneNode(true); }));
      select.value = Array.from(select.options).some(function (o) { return o.value === value; }) ? value : "";
    }
    by.addEventListener("change", narrow);
    select.narrowVillages = narrow;
    narrow();
  }

  // A new regency brings new villages (swapped in out of band): the list starts from those. One listener
  // for the page, whichever step is swapped in how often.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var select = event.detail.target;
    if (select && select.narrowVillages) { select.dataset.stale = "1"; select.narrowVillages(); }
  });

  /* The language and display links return to the page being shown, which changes with each swap. */
  function followPage() {
    var here = location.pathname + location.search;
    document.querySelectorAll("#prefs a").forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("next", here);
      link.href = url.pathname + url.search;
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", followPage);

  /* A live count of letters under a long text, in plain words ("huruf", not "karakter"). */
  function enhanceCounters(root) {
    root.querySelectorAll("textarea[data-count-max]").forEach(function (area) {
      var counter = document.getElementById(area.id + "-count");
      if (!counter) return;
      var max = Number(area.getAttribute("data-count-max")), min = Number(area.getAttribute("data-count-min"));
      function update() {
        var count = Array.from(area.value).length;
        var key = count > max ? "data-over" : (count < min ? "data-under" : "data-ok");
        counter.textContent = counter.getAttribute(key).replace("{count}", count).replace("{min}", min)
          .replace("{max}", max).replace("{over}", count - max);
        counter.classList.toggle("counter-over", count > max);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  /* The kiosk's voice: "Listen" plays the step's question and choices (audio made ahead, lapor/voice.py). */
  var voice = null;
  function enhanceListen(root) {
    root.querySelectorAll("[data-listen]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (voice && !voice.paused) { voice.pause(); button.setAttribute("aria-pressed", "false"); return; }
        voice = new Audio(button.getAttribute("data-listen"));
        voice.addEventListener("ended", function () { button.setAttribute("aria-pressed", "false"); });
        button.setAttribute("aria-pressed", "true");
        voice.play().catch(function () { button.setAttribute("aria-pressed", "false"); });
      });
    });
  }

  /* The file picker becomes a large button in the page's language, with the chosen names said below it. */
  function enhanceFileButton(root) {
    var input = root.querySelector("[data-file-input]");
    if (!input || !input.labels.length) return;
    var label = input.labels[0], chosen = root.querySelector("[data-file-chosen]");
    input.closest(".field").classList.add("file-enhanced");
    label.classList.add("button", "button-secondary");
    function say() {
      var names = Array.from(input.files).map(function (f) { return f.name; });
      chosen.textContent = names.length ? chosen.getAttribute("data-some").replace("{names}", names.join(", "))
        : chosen.getAttribute("data-none");
    }
    input.addEventListener("change", say);
    say();
  }

  function enhance(root) {
    if (voice) { voice.pause(); voice = null; }  // a new step: the last one's voice stops
    enhanceListen(root);
    enhanceCounters(root);
    enhancePrint(root);
    enhanceUpload(root);
    enhanceFileButton(root);
    enhanceVillages(root);
  }

  // After htmx swaps in a new step: move focus to its error summary or its heading, and say so.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.id === "results") {  // a list updated by its filters: say how many, or the problem
      var results = document.getElementById("results");
      var summary = results.querySelector("[data-focus]");
      if (summary) summary.focus();
      var count = results.querySelector("[data-announce-text]");
      announce((summary || count || results).textContent.trim());
      return;
    }
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

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    watchIdle();
  });
})();
