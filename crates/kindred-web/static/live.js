// Live delivery for the pages (GET …/api/v1/live, same origin, the session
// cookie). Enhances what works without it: new messages appear in an open
// conversation, the counts in the navigation follow, the notification list
// offers to show what is new. Announced politely through one aria-live
// region; focus is never moved. Without JavaScript the pages are unchanged.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  if (!status || !("WebSocket" in window) || !window.JSON) {
    return;
  }
  var path = status.getAttribute("data-live");
  var apiRoot = status.getAttribute("data-api");
  // The words it shows or announces, fetched before the socket opens
  // (kept by the browser: see pages::association::live_texts).
  var texts = {};
  var text = function (name) {
    return texts[name] || "";
  };
  var conversation = document.querySelector("[data-live-conversation]");
  var conversationId = conversation ? conversation.getAttribute("data-live-conversation") : null;
  // The id of the last event received: an opaque text (events arrive in
  // order, so the latest is the last), sent back as `since` on reconnect.
  var last = null;
  // Reconnects with `since` in a row that never opened: the server refuses
  // an id it cannot read (400) — e.g. its key changed — so after a few the
  // page starts afresh rather than retrying the same id forever.
  var refused = 0;
  var delay = 1000;
  var stopped = false;

  function announce(message) {
    // Emptied first so that the same words are announced again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  }

  function navLink(kind) {
    var links = document.querySelectorAll(".main-nav a");
    for (var i = 0; i < links.length; i += 1) {
      var href = links[i].getAttribute("href") || "";
      var pathOnly = href.split("?")[0];
      if (pathOnly.slice(-kind.length - 1) === "/" + kind) {
        return links[i];
      }
    }
    return null;
  }

  function setCount(kind, count) {
    var link = navLink(kind);
    if (!link) {
      return;
    }
    // The same words the server writes: "Messages (3 new)", and from the
    // badge's limit on "Notifications (99+ new)".
    var limit = Number(text(kind + "-limit"));
    if (limit > 0 && count >= limit) {
      link.textContent = text(kind + "-many");
    } else {
      link.textContent = count > 0 ? text(kind + "-count").replace("{n}", String(count)) : text(kind);
    }
  }

  function senderName(message) {
    if (message.sender_alias) {
      return message.sender_alias;
    }
    if (message.own) {
      return text("you");
    }
    var known = conversation.querySelector('[data-member="' + message.sender_id + '"]');
    return known ? known.textContent : text("someone");
  }

  function fillMessage(item, message) {
    while (item.firstChild) {
      item.removeChild(item.firstChild);
    }
    var meta = document.createElement("p");
    meta.className = "post-meta";
    var who = document.createElement("strong");
    who.textContent = senderName(message);
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(" · "));
    var time = document.createElement("time");
    time.setAttribute("datetime", message.sent_at);
    time.textContent = new Date(message.sent_at).toLocaleString(document.documentElement.lang || undefined);
    meta.appendChild(time);
    if (message.edited_at && message.kind === "text") {
      meta.appendChild(document.createTextNode(" · " + text("edited")));
    }
    item.appendChild(meta);
    if (message.body_html) {
      // The server's own safe Markdown rendering (kindred_domain::markdown),
      // the same HTML the page shows.
      var body = document.createElement("div");
      body.className = "post-body";
      body.innerHTML = message.body_html;
      item.appendChild(body);
    } else if (message.kind === "deleted") {
      var note = document.createElement("p");
      note.className = "hint";
      note.textContent = text("deleted");
      item.appendChild(note);
    }
    return who.textContent;
  }

  function messageList() {
    var list = conversation.querySelector("ol.posts");
    if (!list) {
      list = document.createElement("ol");
      list.className = "entry-list posts";
      var empty = conversation.querySelector("[data-live-empty]");
      if (empty) {
        empty.parentNode.replaceChild(list, empty);
      } else {
        conversation.appendChild(list);
      }
    }
    return list;
  }

  function markRead(messageId) {
    var csrf = document.querySelector('input[name="csrf"]');
    if (!csrf || document.visibilityState === "hidden") {
      return;
    }
    window.fetch(apiRoot + "/conversations/" + conversationId + "/read", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf.value },
      body: JSON.stringify({ message_id: messageId })
    }).catch(function () {});
  }

  // A call in one of the member's conversations: a notice with a link to
  // answer while it goes on without them (announced once, as it appears),
  // gone once they are in it or it ended. Not on the call's own page.
  function onCall(call) {
    var notice = document.getElementById("live-call-" + call.call_id);
    var ringing =
      call.state === "ongoing" &&
      call.participants.length > 0 &&
      !call.in_call &&
      !document.querySelector('[data-call="' + call.call_id + '"]');
    if (!ringing) {
      if (notice) {
        notice.parentNode.removeChild(notice);
      }
      return;
    }
    if (notice || call.started_by_me) {
      return;
    }
    var caller = null;
    (call.people || []).forEach(function (person) {
      if (person.member_id === call.started_by && person.pseudonym) {
        caller = person.pseudonym;
      }
    });
    notice = document.createElement("p");
    notice.id = "live-call-" + call.call_id;
    notice.className = "notice call-incoming";
    notice.appendChild(document.createTextNode(text(call.video ? "call-video" : "call-voice") + (caller ? ": " + caller : "") + " "));
    var answer = document.createElement("a");
    answer.className = "button primary";
    answer.href = status.getAttribute("data-base") + "/calls/" + call.call_id;
    answer.textContent = text("call-answer");
    notice.appendChild(answer);
    var main = document.getElementById("main");
    main.insertBefore(notice, main.firstChild);
    announce(notice.textContent);
  }

  function onMessage(event) {
    var here = conversation && event.conversation_id === conversationId;
    if (event.type === "message" && here) {
      if (document.getElementById("m-" + event.message.message_id)) {
        return;
      }
      var item = document.createElement("li");
      item.className = "post";
      item.id = "m-" + event.message.message_id;
      var who = fillMessage(item, event.message);
      messageList().appendChild(item);
      if (!event.message.own) {
        announce(text("new-message") + " " + who);
        markRead(event.message.message_id);
      }
    } else if (event.type === "message" || event.type === "conversation_request") {
      announce(text("new-message-elsewhere"));
    } else if ((event.type === "message_edited" || event.type === "message_deleted") && here) {
      var id = event.type === "message_edited" ? event.message.message_id : event.message_id;
      var existing = document.getElementById("m-" + id);
      if (existing && event.message) {
        fillMessage(existing, event.message);
      } else if (existing) {
        fillMessage(existing, { kind: "deleted", own: false, sent_at: existing.querySelector("time").getAttribute("datetime") });
      }
    } else if (event.type === "notification") {
      var list = document.querySelector("[data-live-notifications]");
      if (list && !document.getElementById("live-new-notifications")) {
        var offer = document.createElement("p");
        offer.id = "live-new-notifications";
        offer.className = "notice";
        var link = document.createElement("a");
        link.href = window.location.pathname + window.location.search;
        link.textContent = text("show-new");
        offer.appendChild(link);
        list.parentNode.insertBefore(offer, list);
      }
      announce(text("new-notification"));
    } else if (event.type === "call") {
      onCall(event.call);
    } else if (event.type === "unread") {
      setCount("messages", event.messages);
      setCount("notifications", event.notifications);
    }
  }

  function connect() {
    if (stopped) {
      return;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + path + (last !== null ? "?since=" + encodeURIComponent(last) : "");
    var socket = new WebSocket(url);
    var opened = false;
    socket.onopen = function () {
      opened = true;
      refused = 0;
      delay = 1000;
    };
    socket.onmessage = function (frame) {
      var event;
      try {
        event = JSON.parse(frame.data);
      } catch (e) {
        return;
      }
      if (typeof event.id === "string" && event.id !== "") {
        last = event.id;
      }
      onMessage(event);
    };
    socket.onclose = function (closing) {
      // Signed out, or too many tabs: the page works on without it.
      if (closing.code === 1008 || closing.code === 1003) {
        stopped = true;
        return;
      }
      if (!opened && last !== null) {
        refused += 1;
        if (refused >= 3) {
          last = null;
          refused = 0;
        }
      }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    };
  }

  var source = status.getAttribute("data-texts");
  if (source && window.fetch) {
    window
      .fetch(source, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(
        function (words) {
          texts = words || {};
        },
        function () {}
      )
      .then(connect);
  } else {
    connect();
  }
})();
