// An item's page tells the feed that it was seen, and, after DWELL seconds on screen, that it was
// looked at closely (feed.views.seen): one small beacon each, sent beside the page, never holding it.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="interest-listing"]');
  if (!meta || !navigator.sendBeacon) return;
  var DWELL = 20;
  var headers = {};
  try { headers = JSON.parse(document.body.getAttribute("data-hx-headers") || "{}"); } catch (error) { return; }

  function send(kind) {
    var form = new FormData();
    form.append("listing", meta.content);
    form.append("kind", kind);
    form.append("csrfmiddlewaretoken", headers["X-CSRFToken"] || "");
    navigator.sendBeacon(meta.dataset.url, form);
  }

  send("view");
  var seconds = 0;
  var timer = setInterval(function () {
    if (document.visibilityState !== "visible") return;
    seconds += 1;
    if (seconds >= DWELL) {
      clearInterval(timer);
      send("dwell");
    }
  }, 1000);
})();
