// Live updates for a signed-in page: a websocket to /ws/notifications/ says when something new
// arrived, and the page fires "notifications-changed" (the header's bell asks htmx for its count
// again), "conversation-<id>" (that conversation's page asks for its new messages) or
// "offers-<listing>-<shopper>" (a page showing that thread of offers asks for it again). A lost
// connection is opened again after a pause that grows to half a minute; without websockets the bell
// and the conversation page still ask every 30 and 10 seconds.
(function () {
  "use strict";
  if (!("WebSocket" in window)) { return; }
  var pause = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () { pause = 1000; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      var name = "notifications-changed";
      if (data.type === "conversation.message") { name = "conversation-" + data.conversation; }
      if (data.type === "offer.changed") { name = "offers-" + data.thread; }
      document.body.dispatchEvent(new CustomEvent(name, { detail: data }));
    };
    socket.onclose = function (event) {
      if (event.code === 4401) { return; }  // signed out: nothing to hear
      window.setTimeout(connect, pause);
      pause = Math.min(pause * 2, 30000);
    };
  }
  connect();
})();
