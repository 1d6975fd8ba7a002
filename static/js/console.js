// The host's console: hears the room's websocket (not counted as a viewer) and asks htmx for the
// part that changed ("console-controls" for pins, flash sales and the show's status,
// "console-chat" for the chat), and keeps the viewer count. Without it,
// every action is a form that reloads the console.
(function () {
  "use strict";
  var console_ = document.querySelector(".console");
  if (!console_) return;

  function tell(name) { document.body.dispatchEvent(new CustomEvent(name)); }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + console_.dataset.socket);
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.kind === "chat" || event.kind === "chat_removed") tell("console-chat");
      else if (event.kind === "viewers") {
        var viewers = console_.querySelector("[data-viewers]");
        if (viewers) viewers.textContent = console_.dataset.watching.replace("{n}", event.viewers);
      } else tell("console-controls");
    };
    socket.onclose = function (closed) {
      if (closed.code !== 4404) setTimeout(connect, 3000);
    };
  }
  if (window.WebSocket && console_.dataset.socket) connect();
})();
