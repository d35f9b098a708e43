// Passkeys (WebAuthn): turns the server's options into navigator.credentials
// calls and posts the results to the API, with the page's CSRF token. Loaded
// only by the pages that offer passkeys; each such page says what to do
// without JavaScript. Binary values travel as base64url in both directions.
(function () {
  "use strict";

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials && window.fetch && window.atob && window.btoa);
  }

  function toBuffer(text) {
    var base64 = String(text).replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function copy(object) {
    var result = {};
    for (var key in object) {
      if (Object.prototype.hasOwnProperty.call(object, key)) { result[key] = object[key]; }
    }
    return result;
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      var result = copy(item);
      result.id = toBuffer(item.id);
      return result;
    });
  }

  // {"publicKey": {...}} from the server → options for navigator.credentials.create().
  function creationOptions(options) {
    var publicKey = copy(options.publicKey);
    publicKey.challenge = toBuffer(publicKey.challenge);
    publicKey.user = copy(publicKey.user);
    publicKey.user.id = toBuffer(publicKey.user.id);
    if (publicKey.excludeCredentials) { publicKey.excludeCredentials = withIds(publicKey.excludeCredentials); }
    return { publicKey: publicKey };
  }

  // {"publicKey": {...}} from the server → options for navigator.credentials.get().
  function requestOptions(options) {
    var publicKey = copy(options.publicKey);
    publicKey.challenge = toBuffer(publicKey.challenge);
    if (publicKey.allowCredentials) { publicKey.allowCredentials = withIds(publicKey.allowCredentials); }
    return { publicKey: publicKey };
  }

  function extensionResults(credential) {
    var results = {};
    try {
      var all = credential.getClientExtensionResults ? credential.getClientExtensionResults() : {};
      if (all && all.credProps && typeof all.credProps === "object") { results.credProps = { rk: !!all.credProps.rk }; }
    } catch (e) { /* the extensions are optional */ }
    return results;
  }

  function registrationJSON(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: toText(response.attestationObject),
        clientDataJSON: toText(response.clientDataJSON)
      },
      extensions: extensionResults(credential)
    };
    if (typeof response.getTransports === "function") { json.response.transports = response.getTransports(); }
    return json;
  }

  function assertionJSON(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: toText(response.authenticatorData),
        clientDataJSON: toText(response.clientDataJSON),
        signature: toText(response.signature),
        userHandle: toText(response.userHandle)
      },
      extensions: {}
    };
  }

  // POSTs JSON to the API; resolves with {status, body}.
  function post(box, path, body) {
    return window.fetch(box.getAttribute("data-api") + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": box.getAttribute("data-csrf") },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        return { status: response.status, body: parsed };
      });
    });
  }

  function failure(answer) {
    var error = new Error("request failed");
    error.answer = answer;
    return error;
  }

  function expect(status) {
    return function (answer) {
      if (answer.status !== status) { throw failure(answer); }
      return answer.body;
    };
  }

  // The message for what went wrong, from the box's data-msg-* texts.
  function problem(box, error) {
    var answer = error && error.answer;
    var code = answer && answer.body && answer.body.error ? answer.body.error.code : "";
    var name = error && error.name;
    var key = "failed";
    if (name === "NotAllowedError" || name === "AbortError") { key = "cancelled"; }
    else if (name === "InvalidStateError") { key = "already"; }
    else if (answer && answer.status === 429) { key = "wait"; }
    else if (wantsPassword(answer)) { key = "password"; }
    else if (code === "invalid_fields") { key = "name"; }
    else if (code === "passkey_exists") { key = "already"; }
    return box.getAttribute("data-msg-" + key) || box.getAttribute("data-msg-failed") || "";
  }

  // Whether the answer asks for the password again (missing or wrong).
  function wantsPassword(answer) {
    var error = answer && answer.body && answer.body.error;
    if (!error) { return false; }
    return error.code === "reauthentication_required" || !!(error.fields && error.fields.password);
  }

  function say(box, text) {
    var status = box.querySelector("[data-passkey-status]");
    if (status) { status.textContent = text; }
  }

  function byData(name) {
    return document.querySelector("[data-passkey-" + name + "]");
  }

  function showRecoveryCodes(codes) {
    var section = byData("codes");
    var list = byData("code-list");
    if (!section || !list) { return false; }
    list.textContent = "";
    codes.forEach(function (code) {
      var item = document.createElement("li");
      var text = document.createElement("code");
      text.textContent = code;
      item.appendChild(text);
      list.appendChild(item);
    });
    section.hidden = false;
    var title = section.querySelector("h2");
    if (title) { title.focus(); }
    return true;
  }

  function register(box, button) {
    var input = document.getElementById("passkey-name");
    var name = input ? input.value.trim() : "";
    var passwordInput = document.getElementById("passkey-password");
    var password = passwordInput ? passwordInput.value : "";
    if (passwordInput) { passwordInput.removeAttribute("aria-invalid"); }
    button.disabled = true;
    say(box, box.getAttribute("data-msg-working"));
    var challenge = null;
    // The password first: without it the server opens no ceremony.
    post(box, "/me/passkeys/register/start", { password: password })
      .then(expect(200))
      .then(function (started) {
        challenge = started.challenge_id;
        return navigator.credentials.create(creationOptions(started.options));
      })
      .then(function (credential) {
        var body = { challenge_id: challenge, credential: registrationJSON(credential) };
        if (name) { body.name = name; }
        return post(box, "/me/passkeys/register/finish", body);
      })
      .then(expect(201))
      .then(function (registered) {
        var done = box.getAttribute("data-done");
        if (registered && registered.recovery_codes && showRecoveryCodes(registered.recovery_codes)) {
          box.hidden = true;
          return;
        }
        window.location.assign(done);
      })
      .catch(function (error) {
        button.disabled = false;
        say(box, problem(box, error));
        if (passwordInput && error && wantsPassword(error.answer)) {
          passwordInput.setAttribute("aria-invalid", "true");
          passwordInput.focus();
        } else if (input && error && error.answer && error.answer.body && error.answer.body.error &&
            error.answer.body.error.code === "invalid_fields") {
          input.setAttribute("aria-invalid", "true");
          input.focus();
        }
      });
  }

  function signIn(box, button) {
    button.disabled = true;
    say(box, box.getAttribute("data-msg-working"));
    var challenge = null;
    post(box, "/auth/passkey/start")
      .then(expect(200))
      .then(function (started) {
        challenge = started.challenge_id;
        return navigator.credentials.get(requestOptions(started.options));
      })
      .then(function (credential) {
        return post(box, "/auth/passkey/finish", { challenge_id: challenge, credential: assertionJSON(credential) });
      })
      .then(expect(204))
      .then(function () {
        say(box, box.getAttribute("data-msg-done"));
        window.location.assign(box.getAttribute("data-next"));
      })
      .catch(function (error) {
        button.disabled = false;
        say(box, problem(box, error));
      });
  }

  // Shows the box if passkeys can work here; otherwise the fitting note.
  function prepare(box) {
    var noScript = byData("no-script");
    if (noScript) { noScript.hidden = true; }
    if (!supported()) {
      var unsupported = byData("unsupported");
      if (unsupported) { unsupported.hidden = false; }
      return false;
    }
    var origin = box.getAttribute("data-origin");
    if (origin && origin !== window.location.origin) {
      var elsewhere = byData("elsewhere");
      if (elsewhere) { elsewhere.hidden = false; }
      return false;
    }
    box.hidden = false;
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var registration = byData("register");
    if (registration && prepare(registration)) {
      var add = registration.querySelector("[data-passkey-add]");
      if (add) { add.addEventListener("click", function () { register(registration, add); }); }
    }
    var signInBox = byData("sign-in");
    if (signInBox && prepare(signInBox)) {
      var use = signInBox.querySelector("[data-passkey-use]");
      if (use) { use.addEventListener("click", function () { signIn(signInBox, use); }); }
    }
  });
})();
