// The call page (pages::calls): asks for the microphone (and camera),
// opens the live socket, joins the call (POST …/calls/{id}/join: the
// relays and who is in it) and connects with each other member through
// WebRTC. Sound and picture go from browser to browser (or through the
// association's TURN relay); only the set-up messages pass the server, as
// `call_signal` over the socket. The member who joins sends the offers;
// those already in the call answer, so two never offer to each other.
// Status changes are announced through the page's status line; focus is
// never moved. Without this script the page says what a call needs.
(function () {
  "use strict";
  var root = document.querySelector("[data-call]");
  if (!root || !window.RTCPeerConnection || !navigator.mediaDevices || !window.fetch || !("WebSocket" in window)) {
    return;
  }
  var callId = root.getAttribute("data-call");
  var api = root.getAttribute("data-api");
  var livePath = root.getAttribute("data-live");
  var me = root.getAttribute("data-me");
  var video = root.getAttribute("data-video") === "true";
  var statusLine = document.getElementById("call-status");
  var mediaArea = root.querySelector(".call-media");
  var controls = root.querySelector(".call-controls");
  var peopleList = root.querySelector(".call-people");
  var csrfField = root.querySelector('input[name="csrf"]');
  var csrf = csrfField ? csrfField.value : "";
  var names = {};
  var peers = {};
  var local = null;
  var config = null;
  var socket = null;
  var over = false;

  function msg(name, who) {
    var text = root.getAttribute("data-msg-" + name) || "";
    return who === undefined ? text : text.replace("{name}", who);
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function nameOf(id) {
    return id === me ? msg("you") : names[id] || msg("someone");
  }

  function post(path) {
    return window.fetch(api + path, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: "{}"
    });
  }

  function showPeople(call) {
    (call.people || []).forEach(function (person) {
      if (person.pseudonym) {
        names[person.member_id] = person.pseudonym;
      }
    });
    var states = {};
    Array.prototype.forEach.call(peopleList.querySelectorAll("[data-member]"), function (item) {
      states[item.getAttribute("data-member")] = item.getAttribute("data-state");
    });
    while (peopleList.firstChild) {
      peopleList.removeChild(peopleList.firstChild);
    }
    if (call.participants.length === 0) {
      var empty = document.createElement("li");
      empty.textContent = msg("nobody");
      peopleList.appendChild(empty);
    }
    call.participants.forEach(function (id) {
      var item = document.createElement("li");
      item.setAttribute("data-member", id);
      if (states[id]) {
        item.setAttribute("data-state", states[id]);
      }
      item.textContent = nameOf(id);
      peopleList.appendChild(item);
    });
  }

  function send(to, body) {
    if (!socket || socket.readyState !== 1) {
      return;
    }
    body.type = "call_signal";
    body.call_id = callId;
    body.to = to;
    socket.send(JSON.stringify(body));
  }

  function tile(id, stream, muted) {
    var figure = document.createElement("figure");
    figure.className = "call-tile";
    var player = document.createElement(video ? "video" : "audio");
    player.autoplay = true;
    player.muted = muted;
    player.setAttribute("playsinline", "");
    player.srcObject = stream;
    var caption = document.createElement("figcaption");
    caption.textContent = nameOf(id);
    figure.appendChild(player);
    figure.appendChild(caption);
    mediaArea.appendChild(figure);
    mediaArea.hidden = false;
    return figure;
  }

  function peer(id) {
    if (peers[id]) {
      return peers[id];
    }
    var connection = new RTCPeerConnection(config);
    var entry = { connection: connection, waiting: [], figure: null };
    peers[id] = entry;
    local.getTracks().forEach(function (track) {
      connection.addTrack(track, local);
    });
    connection.onicecandidate = function (event) {
      if (event.candidate) {
        send(id, { candidate: event.candidate.toJSON() });
      }
    };
    connection.ontrack = function (event) {
      if (!entry.figure) {
        entry.figure = tile(id, event.streams[0], false);
      }
    };
    connection.onconnectionstatechange = function () {
      var state = connection.connectionState;
      var item = peopleList.querySelector('[data-member="' + id + '"]');
      if (item) {
        item.setAttribute("data-state", state);
      }
      if (state === "connected") {
        say(msg("connected", nameOf(id)));
      } else if (state === "failed") {
        say(msg("failed", nameOf(id)));
      }
    };
    return entry;
  }

  function offerTo(id) {
    var entry = peer(id);
    say(msg("connecting", nameOf(id)));
    entry.connection
      .createOffer()
      .then(function (offer) {
        return entry.connection.setLocalDescription(offer).then(function () {
          send(id, { sdp: { type: offer.type, sdp: offer.sdp } });
        });
      })
      .catch(function () {
        say(msg("failed", nameOf(id)));
      });
  }

  function onSignal(event) {
    if (event.call_id !== callId || over) {
      return;
    }
    var entry = peer(event.from);
    var connection = entry.connection;
    if (event.sdp && event.sdp.type) {
      connection
        .setRemoteDescription(event.sdp)
        .then(function () {
          entry.waiting.forEach(function (candidate) {
            connection.addIceCandidate(candidate).catch(function () {});
          });
          entry.waiting = [];
          if (event.sdp.type !== "offer") {
            return null;
          }
          return connection.createAnswer().then(function (answer) {
            return connection.setLocalDescription(answer).then(function () {
              send(event.from, { sdp: { type: answer.type, sdp: answer.sdp } });
            });
          });
        })
        .catch(function () {
          say(msg("failed", nameOf(event.from)));
        });
    }
    if (event.candidate) {
      if (connection.remoteDescription) {
        connection.addIceCandidate(event.candidate).catch(function () {});
      } else {
        entry.waiting.push(event.candidate);
      }
    }
  }

  function drop(id, quietly) {
    var entry = peers[id];
    if (!entry) {
      return;
    }
    entry.connection.close();
    if (entry.figure && entry.figure.parentNode) {
      entry.figure.parentNode.removeChild(entry.figure);
    }
    delete peers[id];
    if (!quietly) {
      say(msg("left", nameOf(id)));
    }
  }

  function end() {
    over = true;
    Object.keys(peers).forEach(function (id) {
      drop(id, true);
    });
    if (local) {
      local.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    controls.hidden = true;
    say(msg("ended"));
  }

  function onCall(call) {
    if (call.call_id !== callId) {
      return;
    }
    showPeople(call);
    if (call.state === "ended") {
      end();
      return;
    }
    // Taken out while the socket was gone too long (the server ends the
    // part of a member without a socket): the others dropped us, so start
    // afresh and join again.
    if (config && !over && call.in_call === false) {
      Object.keys(peers).forEach(function (id) {
        drop(id, true);
      });
      config = null;
      join();
      return;
    }
    Object.keys(peers).forEach(function (id) {
      if (call.participants.indexOf(id) === -1) {
        drop(id, false);
      }
    });
  }

  function join() {
    post("/calls/" + callId + "/join")
      .then(function (response) {
        if (response.status === 409) {
          end();
          return null;
        }
        if (!response.ok) {
          throw new Error("join");
        }
        return response.json();
      })
      .then(function (joined) {
        if (!joined) {
          return;
        }
        config = { iceServers: joined.ice_servers, iceTransportPolicy: joined.ice_transport_policy };
        showPeople(joined.call);
        var others = joined.call.participants.filter(function (id) {
          return id !== me;
        });
        if (others.length === 0) {
          say(msg("waiting"));
        }
        others.forEach(offerTo);
      })
      .catch(function () {
        say(msg("failed", msg("someone")));
      });
  }

  function connect(first) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + livePath);
    socket.onopen = function () {
      if (first) {
        join();
      } else if (!over) {
        // Back after a break: what happened to the call meanwhile.
        window
          .fetch(api + "/calls/" + callId, { credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (call) {
            if (call) {
              onCall(call);
            }
          })
          .catch(function () {});
      }
    };
    socket.onmessage = function (frame) {
      var event;
      try {
        event = JSON.parse(frame.data);
      } catch (e) {
        return;
      }
      if (event.type === "call_signal") {
        onSignal(event);
      } else if (event.type === "call") {
        onCall(event.call);
      }
    };
    socket.onclose = function (closing) {
      // The media flow on without it; set-up messages need it back.
      if (!over && closing.code !== 1008) {
        window.setTimeout(function () {
          connect(false);
        }, 2000);
      }
    };
  }

  function toggle(button, kind) {
    if (!button) {
      return;
    }
    button.addEventListener("click", function () {
      var off = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", off ? "true" : "false");
      local.getTracks().forEach(function (track) {
        if (track.kind === kind) {
          track.enabled = !off;
        }
      });
    });
  }

  say(msg("starting"));
  navigator.mediaDevices
    .getUserMedia({ audio: true, video: video })
    .then(function (stream) {
      local = stream;
      controls.hidden = false;
      toggle(root.querySelector("[data-call-mute]"), "audio");
      toggle(root.querySelector("[data-call-camera]"), "video");
      if (video) {
        tile(me, stream, true);
      }
      connect(true);
    })
    .catch(function () {
      say(msg("no-media"));
    });

  // Closing the tab or going elsewhere leaves the call.
  window.addEventListener("pagehide", function () {
    if (!over && local) {
      over = true;
      post("/calls/" + callId + "/leave");
    }
  });
})();
