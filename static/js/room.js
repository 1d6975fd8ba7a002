// A live room: plays the show's HLS (hls.js, or the browser's own HLS without it), and keeps the
// pinned item's card, the chat and the viewer count in step with what the room's websocket says.
// Without it (or without JavaScript) the page still works: every action is a form.
(function () {
  "use strict";
  var room = document.querySelector(".room");
  if (!room) return;

  var video = document.getElementById("room-video");
  if (video && video.dataset.src) {
    // hls.js wherever Media Source Extensions work (its live playlist handling is the one tested);
    // the browser's own HLS (Safari on iPhone) otherwise.
    if (window.Hls && window.Hls.isSupported()) {
      // No worker: the Content-Security-Policy allows no blob: scripts.
      var hls = new window.Hls({ enableWorker: false, lowLatencyMode: true });
      hls.loadSource(video.dataset.src);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = video.dataset.src;
    }
    video.play().catch(function () { /* the browser waits for a tap: the controls are there */ });
  }

  function refreshCard() {
    var card = document.getElementById("room-card");
    if (!card) return;
    fetch(card.dataset.cardUrl, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#room-card");
        if (fresh) card.replaceWith(fresh);
      });
  }

  var messages = document.getElementById("room-messages");
  function say(event) {
    if (!messages) return;
    var quiet = messages.querySelector(".room-quiet");
    if (quiet) quiet.remove();
    var line = document.createElement("li");
    line.dataset.message = event.id;
    var author = document.createElement("span");
    author.className = "room-author";
    author.textContent = event.author;
    line.append(author, " ", event.text);
    messages.append(line);
    while (messages.children.length > 60) messages.firstElementChild.remove();
    messages.scrollTop = messages.scrollHeight;
  }

  var viewers = room.querySelector("[data-viewers]");
  function count(n) {
    if (!viewers) return;
    viewers.textContent = room.dataset.watching.replace("{n}", n);
  }

  // The countdown ran out (static/js/countdown.js): the card says how the flash sale ended.
  document.body.addEventListener("countdown-over", refreshCard);

  var form = room.querySelector(".room-say");
  if (form) {
    form.addEventListener("submit", function (submit) {
      submit.preventDefault();
      var error = room.querySelector(".room-say-error");
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (answer) {
          if (answer.ok) { form.reset(); error.hidden = true; return; }
          return answer.text().then(function (text) { error.textContent = text; error.hidden = false; });
        });
    });
  }

  var socket;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + room.dataset.socket);
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.kind === "pinned" || event.kind === "unpinned" || event.kind === "flash" || event.kind === "lineup") refreshCard();
      else if (event.kind === "chat") say(event);
      else if (event.kind === "chat_removed") {
        var gone = messages && messages.querySelector('[data-message="' + event.id + '"]');
        if (gone) gone.remove();
      } else if (event.kind === "viewers") count(event.viewers);
      else if (event.kind === "status") location.reload();
    };
    socket.onclose = function (closed) {
      if (closed.code !== 4404) setTimeout(connect, 3000);
    };
  }
  if (window.WebSocket && room.dataset.socket) connect();
})();
