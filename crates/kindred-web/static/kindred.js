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

  // The "More" menu (<details>): Escape closes it and gives focus back to
  // its summary; a click or focus elsewhere closes it too.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details[data-menu][open]");
    if (!open || !open.contains(document.activeElement)) { return; }
    open.open = false;
    open.querySelector("summary").focus();
  });
  function closeMenusOutside(event) {
    var menus = document.querySelectorAll("details[data-menu][open]");
    for (var i = 0; i < menus.length; i++) {
      if (!menus[i].contains(event.target)) { menus[i].open = false; }
    }
  }
  document.addEventListener("click", closeMenusOutside);
  document.addEventListener("focusin", closeMenusOutside);

  // Destructive forms (data-confirm) ask in a native <dialog> first. The
  // server asks with a page of its own when the form comes without
  // `confirm`, so this is only the quicker way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm") || typeof HTMLDialogElement !== "function") { return; }
    if (form.querySelector("input[name=confirm]")) { return; }
    event.preventDefault();
    var opener = event.submitter || form.querySelector("button[type=submit]");
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    dialog.setAttribute("aria-describedby", "confirm-dialog-question");
    var title = document.createElement("h2");
    title.id = "confirm-dialog-title";
    title.textContent = form.getAttribute("data-confirm-title") || "";
    var question = document.createElement("p");
    question.id = "confirm-dialog-question";
    question.textContent = form.getAttribute("data-confirm");
    var actions = document.createElement("div");
    actions.className = "actions";
    var no = document.createElement("button");
    no.type = "button";
    no.textContent = form.getAttribute("data-confirm-no") || "Cancel";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "danger primary";
    yes.textContent = form.getAttribute("data-confirm-yes") || "OK";
    actions.appendChild(no);
    actions.appendChild(yes);
    dialog.appendChild(title);
    dialog.appendChild(question);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    no.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (opener) { opener.focus(); }
    });
    yes.addEventListener("click", function () {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirm";
      field.value = "1";
      form.appendChild(field);
      form.submit();
    });
    dialog.showModal();
    no.focus();
  });

  // After publishing, the page opens at the new post (#post-…), which is
  // focusable (tabindex=-1): make sure it has focus, so that a screen
  // reader starts there.
  window.addEventListener("load", function () {
    var id = window.location.hash.slice(1);
    if (!/^post-[A-Za-z0-9_-]+$/.test(id)) { return; }
    var post = document.getElementById(id);
    if (post && document.activeElement !== post) { post.focus(); }
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
