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
