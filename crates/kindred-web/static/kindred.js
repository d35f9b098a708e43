// Kindred's only script: small enhancements. Every page works without it.
(function () {
  "use strict";
  var KEY = "kindred-text-size";
  var SIZES = ["normal", "large", "larger"];

  function apply(size) {
    if (SIZES.indexOf(size) < 0) { size = "normal"; }
    if (size === "normal") {
      document.documentElement.removeAttribute("data-text-size");
    } else {
      document.documentElement.setAttribute("data-text-size", size);
    }
    var buttons = document.querySelectorAll("[data-text-size-control] button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-text-size") === size));
    }
  }

  function stored() {
    try { return window.localStorage.getItem(KEY) || "normal"; } catch (e) { return "normal"; }
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.querySelector("[data-text-size-control]");
    if (!control) { return; }
    control.hidden = false;
    apply(stored());
    control.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-text-size]");
      if (!button) { return; }
      var size = button.getAttribute("data-text-size");
      try { window.localStorage.setItem(KEY, size); } catch (e) { /* private mode: applies to this page only */ }
      apply(size);
    });
  });
})();

// The appearance settings: the sample follows the colours while they are
// typed, and says whether each is readable on white (the same rule as the
// server's, WCAG contrast of at least 4.5 to 1). Saving still checks.
(function () {
  "use strict";

  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrastOnWhite(hex) {
    return 1.05 / (luminance(hex) + 0.05);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var sample = document.querySelector("[data-live-preview]");
    if (!sample) { return; }
    var status = document.getElementById("preview-status");
    var inputs = [
      { input: document.getElementById("s-branding-primary_color"), variable: "--preview-brand" },
      { input: document.getElementById("s-branding-accent_color"), variable: "--preview-accent" }
    ];
    function update() {
      var low = false;
      inputs.forEach(function (pair) {
        if (!pair.input) { return; }
        var value = pair.input.value.trim();
        if (/^#[0-9a-fA-F]{6}$/.test(value) && contrastOnWhite(value) >= 4.5) {
          sample.style.setProperty(pair.variable, value);
          sample.classList.add("brand-preview-chosen");
        } else {
          low = true;
        }
      });
      if (status) {
        status.textContent = low ? sample.getAttribute("data-low") : sample.getAttribute("data-ok");
      }
    }
    inputs.forEach(function (pair) {
      if (pair.input) { pair.input.addEventListener("input", update); }
    });
  });
})();
